ALTER TABLE "insync_users" DROP CONSTRAINT "insync_users_profile_id_profiles_id_fk";
--> statement-breakpoint
ALTER TABLE "insync_users" DROP CONSTRAINT "insync_users_storage_id_storages_id_fk";
--> statement-breakpoint
ALTER TABLE "provisioning_log" DROP CONSTRAINT "provisioning_log_tenant_id_tenants_id_fk";
--> statement-breakpoint
ALTER TABLE "provisioning_log" DROP CONSTRAINT "provisioning_log_run_id_sync_runs_id_fk";
