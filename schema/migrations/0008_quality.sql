CREATE TABLE "dw_meta"."expectation_results" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"run_id" text NOT NULL,
	"asset_key" text NOT NULL,
	"partition_key" text DEFAULT '' NOT NULL,
	"suite" text NOT NULL,
	"expectation_id" text NOT NULL,
	"kind" text NOT NULL,
	"source" text NOT NULL,
	"dimension" text NOT NULL,
	"severity" text NOT NULL,
	"weight" numeric NOT NULL,
	"column_name" text,
	"evaluated" bigint NOT NULL,
	"failed" bigint NOT NULL,
	"observed" jsonb,
	"outcome" text NOT NULL,
	"examples" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"evaluated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "expectation_results_source_check" CHECK ("source" IN ('suite', 'contract', 'domain', 'conservation', 'dbt')),
	CONSTRAINT "expectation_results_dimension_check" CHECK ("dimension" IN ('completeness', 'validity', 'uniqueness', 'consistency', 'accuracy', 'timeliness')),
	CONSTRAINT "expectation_results_severity_check" CHECK ("severity" IN ('warn', 'block')),
	CONSTRAINT "expectation_results_outcome_check" CHECK ("outcome" IN ('pass', 'warn', 'fail'))
);
--> statement-breakpoint
CREATE INDEX "expectation_results_asset_idx" ON "dw_meta"."expectation_results" USING btree ("asset_key","evaluated_at");
--> statement-breakpoint
CREATE INDEX "expectation_results_run_idx" ON "dw_meta"."expectation_results" USING btree ("run_id");
--> statement-breakpoint
CREATE TABLE "dw_meta"."quality_scores" (
	"run_id" text NOT NULL,
	"asset_key" text NOT NULL,
	"dimension" text NOT NULL,
	"score" numeric NOT NULL,
	"evaluated" bigint NOT NULL,
	"failed" bigint NOT NULL,
	"sla_status" text NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "quality_scores_run_id_asset_key_dimension_pk" PRIMARY KEY("run_id","asset_key","dimension"),
	CONSTRAINT "quality_scores_score_check" CHECK ("score" >= 0 AND "score" <= 1),
	CONSTRAINT "quality_scores_sla_status_check" CHECK ("sla_status" IN ('pass', 'warn', 'block'))
);
--> statement-breakpoint
CREATE INDEX "quality_scores_computed_idx" ON "dw_meta"."quality_scores" USING btree ("computed_at");
--> statement-breakpoint
CREATE SCHEMA IF NOT EXISTS "quality";
--> statement-breakpoint
CREATE VIEW "quality"."latest_scores" AS
  SELECT s.* FROM "dw_meta"."quality_scores" s
   WHERE s.run_id = (SELECT run_id FROM "dw_meta"."quality_scores" ORDER BY computed_at DESC, run_id DESC LIMIT 1);
--> statement-breakpoint
CREATE VIEW "quality"."score_history" AS
  SELECT s.run_id, s.asset_key, s.dimension, s.score, s.evaluated, s.failed, s.sla_status, s.computed_at,
         coalesce(r.started_at, s.computed_at) AS started_at
    FROM "dw_meta"."quality_scores" s LEFT JOIN "dw_meta"."runs" r ON r.run_id = s.run_id;
--> statement-breakpoint
CREATE VIEW "quality"."failures" AS
  SELECT e.* FROM "dw_meta"."expectation_results" e WHERE e.outcome <> 'pass';
