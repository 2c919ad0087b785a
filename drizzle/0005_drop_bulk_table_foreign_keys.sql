ALTER TABLE "entra_group_members" DROP CONSTRAINT "entra_group_members_tenant_id_tenants_id_fk";
--> statement-breakpoint
ALTER TABLE "entra_users" DROP CONSTRAINT "entra_users_tenant_id_tenants_id_fk";
--> statement-breakpoint
ALTER TABLE "insync_users" DROP CONSTRAINT "insync_users_tenant_id_tenants_id_fk";
--> statement-breakpoint
ALTER TABLE "insync_users" DROP CONSTRAINT "insync_users_mapping_id_mappings_id_fk";
