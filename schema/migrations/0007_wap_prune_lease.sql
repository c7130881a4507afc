CREATE TABLE "dw_meta"."dbt_leases" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"run_id" text NOT NULL,
	"holder" text NOT NULL,
	"dbt_pid" integer,
	"acquired_at" timestamp with time zone DEFAULT now() NOT NULL,
	"released_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "dw_meta"."pruned_rows" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"run_id" text NOT NULL,
	"partition_key" text NOT NULL,
	"table_name" text NOT NULL,
	"rows_removed" bigint NOT NULL,
	"pruned_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dw_meta"."published_versions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"asset_key" text NOT NULL,
	"run_id" text NOT NULL,
	"materialization_id" bigint,
	"input_version" text NOT NULL,
	"relation_kind" text NOT NULL,
	"row_count" bigint,
	"archived_as" text,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retired_at" timestamp with time zone,
	"dropped_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "pruned_rows_run_idx" ON "dw_meta"."pruned_rows" USING btree ("run_id");--> statement-breakpoint
CREATE INDEX "published_versions_asset_idx" ON "dw_meta"."published_versions" USING btree ("asset_key","id");--> statement-breakpoint
CREATE SCHEMA IF NOT EXISTS "dw_versions";
