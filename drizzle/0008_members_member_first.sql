DROP INDEX "entra_group_members_member";--> statement-breakpoint
ALTER TABLE "entra_group_members" DROP CONSTRAINT "entra_group_members_tenant_id_group_id_member_id_pk";--> statement-breakpoint
ALTER TABLE "entra_group_members" ADD CONSTRAINT "entra_group_members_tenant_id_member_id_group_id_pk" PRIMARY KEY("tenant_id","member_id","group_id");--> statement-breakpoint
CREATE INDEX "entra_group_members_group" ON "entra_group_members" USING btree ("tenant_id","group_id");