CREATE TABLE "audit_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" integer,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"target" text,
	"before" jsonb,
	"after" jsonb,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "delta_cursors" (
	"tenant_id" integer NOT NULL,
	"stream" text NOT NULL,
	"delta_link" text NOT NULL,
	"query_hash" text NOT NULL,
	"round_started_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "delta_cursors_tenant_id_stream_pk" PRIMARY KEY("tenant_id","stream")
);
--> statement-breakpoint
CREATE TABLE "entra_group_members" (
	"tenant_id" integer NOT NULL,
	"group_id" text NOT NULL,
	"member_id" text NOT NULL,
	"member_type" text NOT NULL,
	"seen_run_id" integer,
	CONSTRAINT "entra_group_members_tenant_id_group_id_member_id_pk" PRIMARY KEY("tenant_id","group_id","member_id")
);
--> statement-breakpoint
CREATE TABLE "entra_groups" (
	"tenant_id" integer NOT NULL,
	"id" text NOT NULL,
	"display_name" text,
	"group_types" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"mail_enabled" boolean,
	"security_enabled" boolean,
	"deleted" boolean DEFAULT false NOT NULL,
	"seen_run_id" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "entra_groups_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "entra_users" (
	"tenant_id" integer NOT NULL,
	"id" text NOT NULL,
	"user_principal_name" text,
	"mail" text,
	"display_name" text,
	"user_type" text,
	"account_enabled" boolean,
	"deletion" text DEFAULT 'none' NOT NULL,
	"attributes" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"needs_decision" boolean DEFAULT true NOT NULL,
	"seen_run_id" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "entra_users_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "insync_users" (
	"id" serial PRIMARY KEY NOT NULL,
	"tenant_id" integer NOT NULL,
	"email" text NOT NULL,
	"display_name" text NOT NULL,
	"entra_object_id" text,
	"user_principal_name" text,
	"mapping_id" integer,
	"mapping_name" text,
	"profile_id" integer NOT NULL,
	"storage_id" integer NOT NULL,
	"quota_bytes" bigint,
	"quota_override" boolean DEFAULT false NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"preserved_by" text,
	"preserved_reason" text,
	"source" text DEFAULT 'auto' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mappings" (
	"id" serial PRIMARY KEY NOT NULL,
	"tenant_id" integer NOT NULL,
	"name" text NOT NULL,
	"priority" integer NOT NULL,
	"kind" text NOT NULL,
	"selector" jsonb NOT NULL,
	"profile_id" integer NOT NULL,
	"storage_id" integer NOT NULL,
	"quota_bytes" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "profiles" (
	"id" serial PRIMARY KEY NOT NULL,
	"tenant_id" integer NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "provisioning_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" integer NOT NULL,
	"run_id" integer,
	"entra_object_id" text,
	"email" text,
	"action" text NOT NULL,
	"reason" text NOT NULL,
	"detail" jsonb,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "storages" (
	"id" serial PRIMARY KEY NOT NULL,
	"tenant_id" integer NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sync_runs" (
	"id" serial PRIMARY KEY NOT NULL,
	"tenant_id" integer NOT NULL,
	"mode" text NOT NULL,
	"trigger" text DEFAULT 'cli' NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"counts" jsonb,
	"graph_requests" integer,
	"error_code" text,
	"error_message" text
);
--> statement-breakpoint
CREATE TABLE "tenants" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"encryption" text DEFAULT 'none' NOT NULL,
	"provisioning_method" text DEFAULT 'entra-import' NOT NULL,
	"directory_id" text,
	"client_id" text,
	"client_secret_env" text,
	"certificate_path" text,
	"graph_url" text DEFAULT 'https://graph.microsoft.com' NOT NULL,
	"authority_host" text DEFAULT 'https://login.microsoftonline.com' NOT NULL,
	"email_from" text DEFAULT 'mail' NOT NULL,
	"include_shared_mailboxes" boolean DEFAULT false NOT NULL,
	"shared_mailbox_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"schedule" text DEFAULT '0 * * * *' NOT NULL,
	"full_sync_interval_hours" integer DEFAULT 24 NOT NULL,
	"max_preserve" integer DEFAULT 500 NOT NULL,
	"max_preserve_percent" integer DEFAULT 20 NOT NULL,
	"state" text DEFAULT 'active' NOT NULL,
	"state_reason" text,
	"mappings_version" integer DEFAULT 1 NOT NULL,
	"decided_mappings_version" integer DEFAULT 0 NOT NULL,
	"last_full_sync_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tenants_name_unique" UNIQUE("name")
);
--> statement-breakpoint
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delta_cursors" ADD CONSTRAINT "delta_cursors_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "entra_group_members" ADD CONSTRAINT "entra_group_members_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "entra_groups" ADD CONSTRAINT "entra_groups_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "entra_users" ADD CONSTRAINT "entra_users_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "insync_users" ADD CONSTRAINT "insync_users_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "insync_users" ADD CONSTRAINT "insync_users_mapping_id_mappings_id_fk" FOREIGN KEY ("mapping_id") REFERENCES "public"."mappings"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "insync_users" ADD CONSTRAINT "insync_users_profile_id_profiles_id_fk" FOREIGN KEY ("profile_id") REFERENCES "public"."profiles"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "insync_users" ADD CONSTRAINT "insync_users_storage_id_storages_id_fk" FOREIGN KEY ("storage_id") REFERENCES "public"."storages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mappings" ADD CONSTRAINT "mappings_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mappings" ADD CONSTRAINT "mappings_profile_id_profiles_id_fk" FOREIGN KEY ("profile_id") REFERENCES "public"."profiles"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mappings" ADD CONSTRAINT "mappings_storage_id_storages_id_fk" FOREIGN KEY ("storage_id") REFERENCES "public"."storages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "profiles" ADD CONSTRAINT "profiles_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provisioning_log" ADD CONSTRAINT "provisioning_log_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provisioning_log" ADD CONSTRAINT "provisioning_log_run_id_sync_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."sync_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "storages" ADD CONSTRAINT "storages_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sync_runs" ADD CONSTRAINT "sync_runs_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "entra_group_members_member" ON "entra_group_members" USING btree ("tenant_id","member_id");--> statement-breakpoint
CREATE INDEX "entra_users_needs_decision" ON "entra_users" USING btree ("tenant_id") WHERE "entra_users"."needs_decision";--> statement-breakpoint
CREATE UNIQUE INDEX "insync_users_tenant_email" ON "insync_users" USING btree ("tenant_id",lower("email"));--> statement-breakpoint
CREATE UNIQUE INDEX "insync_users_tenant_object" ON "insync_users" USING btree ("tenant_id","entra_object_id");--> statement-breakpoint
CREATE UNIQUE INDEX "mappings_tenant_name" ON "mappings" USING btree ("tenant_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "mappings_tenant_priority" ON "mappings" USING btree ("tenant_id","priority");--> statement-breakpoint
CREATE UNIQUE INDEX "profiles_tenant_name" ON "profiles" USING btree ("tenant_id","name");--> statement-breakpoint
CREATE INDEX "provisioning_log_tenant_run" ON "provisioning_log" USING btree ("tenant_id","run_id");--> statement-breakpoint
CREATE INDEX "provisioning_log_tenant_email" ON "provisioning_log" USING btree ("tenant_id",lower("email"));--> statement-breakpoint
CREATE UNIQUE INDEX "storages_tenant_name" ON "storages" USING btree ("tenant_id","name");--> statement-breakpoint
CREATE INDEX "sync_runs_tenant_started" ON "sync_runs" USING btree ("tenant_id","started_at");