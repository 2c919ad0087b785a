DROP INDEX "provisioning_log_tenant_email";--> statement-breakpoint
CREATE INDEX "provisioning_log_email" ON "provisioning_log" USING hash (lower("email"));