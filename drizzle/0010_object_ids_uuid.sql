ALTER TABLE "entra_group_members" ALTER COLUMN "group_id" SET DATA TYPE uuid USING "group_id"::uuid;--> statement-breakpoint
ALTER TABLE "entra_group_members" ALTER COLUMN "member_id" SET DATA TYPE uuid USING "member_id"::uuid;--> statement-breakpoint
ALTER TABLE "entra_groups" ALTER COLUMN "id" SET DATA TYPE uuid USING "id"::uuid;--> statement-breakpoint
ALTER TABLE "entra_users" ALTER COLUMN "id" SET DATA TYPE uuid USING "id"::uuid;--> statement-breakpoint
ALTER TABLE "insync_users" ALTER COLUMN "entra_object_id" SET DATA TYPE uuid USING "entra_object_id"::uuid;