CREATE SEQUENCE "public"."entra_change_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
DROP INDEX "entra_users_needs_decision";--> statement-breakpoint
ALTER TABLE "entra_users" ADD COLUMN "changed_seq" bigint DEFAULT nextval('entra_change_seq') NOT NULL;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "decided_seq" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "entra_users_changed" ON "entra_users" USING btree ("tenant_id","changed_seq");