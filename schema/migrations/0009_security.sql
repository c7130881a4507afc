-- 0009_security: least privilege (roles, grants, default privileges) and the tamper-evident audit log (audit.events).
-- Runs as the owner role (current_user): it owns the migrations' objects and is a member of dw_worker. Roles are created
-- here only where missing (that needs CREATEROLE); `dw up` and a DBA on managed PostgreSQL create them beforehand, with
-- LOGIN and a password (docs/security.md).
DO $$
DECLARE r text;
BEGIN
  FOREACH r IN ARRAY ARRAY['dw_worker', 'dw_reader', 'dw_auditor'] LOOP
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = r) THEN
      EXECUTE format('CREATE ROLE %I NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS', r);
    END IF;
  END LOOP;
  IF NOT pg_has_role(current_user, 'dw_worker', 'MEMBER') THEN
    EXECUTE format('GRANT dw_worker TO %I', current_user);
  END IF;
  EXECUTE format('GRANT CONNECT, CREATE ON DATABASE %I TO dw_worker', current_database());
  EXECUTE format('GRANT CONNECT ON DATABASE %I TO dw_reader, dw_auditor', current_database());
END $$;
--> statement-breakpoint
-- The pipeline's schemas: the worker reads and writes their rows (never their structure), now and for tables added later.
DO $$
DECLARE s text;
BEGIN
  FOREACH s IN ARRAY ARRAY['raw', 'staging', 'dw_meta', 'quarantine', 'customer', 'events', 'fulfillment', 'marketplace', 'sales', 'quality', 'dw_versions'] LOOP
    IF EXISTS (SELECT FROM pg_namespace WHERE nspname = s) THEN
      EXECUTE format('GRANT USAGE ON SCHEMA %I TO dw_worker', s);
      EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA %I TO dw_worker', s);
      EXECUTE format('GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA %I TO dw_worker', s);
      EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON TABLES TO dw_worker', s);
      EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO dw_worker', s);
    END IF;
  END LOOP;
END $$;
--> statement-breakpoint
-- Kept versions of dbt models are moved into dw_versions (ALTER … SET SCHEMA needs CREATE there).
GRANT CREATE ON SCHEMA "dw_versions" TO dw_worker;
--> statement-breakpoint
-- What only an owner may do, the worker must do to a few relations: TRUNCATE … RESTART IDENTITY of the raw tables
-- (resets their identity sequences) and REFRESH of the partition lists. The worker owns those, nothing else here.
-- (A new owner needs CREATE on the schema at that moment only: granted for the change, then revoked.)
DO $$
DECLARE r record;
BEGIN
  GRANT CREATE ON SCHEMA raw, staging TO dw_worker;
  FOR r IN SELECT n.nspname, c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE (n.nspname = 'raw' AND c.relkind IN ('r', 'p')) OR (n.nspname = 'staging' AND c.relkind = 'm') LOOP
    EXECUTE format('ALTER %s %I.%I OWNER TO dw_worker', CASE r.relkind WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END, r.nspname, r.relname);
  END LOOP;
  REVOKE CREATE ON SCHEMA raw, staging FROM dw_worker;
END $$;
--> statement-breakpoint
-- dbt's published schema (DW_DBT_SCHEMA, default analytics) belongs to the worker, which creates, swaps and drops its
-- relations. Readers see that schema only; every relation the worker creates carries SELECT for dw_reader, so a model
-- built in a shadow schema and moved in at publication is readable there, and nowhere else (no USAGE elsewhere).
CREATE SCHEMA IF NOT EXISTS "analytics" AUTHORIZATION dw_worker;
--> statement-breakpoint
GRANT USAGE ON SCHEMA "analytics" TO dw_reader;
--> statement-breakpoint
GRANT SELECT ON ALL TABLES IN SCHEMA "analytics" TO dw_reader;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES FOR ROLE dw_worker GRANT SELECT ON TABLES TO dw_reader;
--> statement-breakpoint
CREATE SCHEMA IF NOT EXISTS "audit";
--> statement-breakpoint
REVOKE ALL ON SCHEMA "audit" FROM PUBLIC;
--> statement-breakpoint
-- Append-only and hash-chained: hash = sha256(canonical(row with prev_hash)); prev_hash = the previous row's hash
-- (64 zeros for the first). cli/audit.ts recomputes the chain (dw audit verify).
CREATE TABLE "audit"."events" (
	"id" bigint PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"os_user" text NOT NULL,
	"host" text NOT NULL,
	"db_user" text NOT NULL,
	"action" text NOT NULL,
	"phase" text NOT NULL,
	"outcome" text,
	"run_id" text,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE SEQUENCE "audit"."events_id_seq" OWNED BY "audit"."events"."id";
--> statement-breakpoint
CREATE INDEX "events_at_idx" ON "audit"."events" USING btree ("at");
--> statement-breakpoint
CREATE INDEX "events_os_user_idx" ON "audit"."events" USING btree ("os_user", "at");
--> statement-breakpoint
-- The canonical serialization: each field as <length>:<text> (NULL as '-'), in column order, the time in UTC to the
-- microsecond. Length-prefixed, so no field's text can pass for another's.
CREATE FUNCTION "audit"."canonical"(p_id bigint, p_at timestamptz, p_os_user text, p_host text, p_db_user text, p_action text,
    p_phase text, p_outcome text, p_run_id text, p_detail jsonb, p_prev_hash text) RETURNS text
  LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
  SELECT string_agg(CASE WHEN f IS NULL THEN '-' ELSE char_length(f)::text || ':' || f END, '' ORDER BY i)
    FROM unnest(ARRAY[p_id::text, to_char(p_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), p_os_user, p_host, p_db_user,
                      p_action, p_phase, p_outcome, p_run_id, p_detail::text, p_prev_hash]) WITH ORDINALITY AS t(f, i)
$$;
--> statement-breakpoint
-- The only way in: under an exclusive lock (one link at a time, no forks), the next id, the previous hash, the new hash.
CREATE FUNCTION "audit"."append"(p_os_user text, p_host text, p_action text, p_phase text, p_outcome text, p_run_id text, p_detail jsonb)
  RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  v_id bigint;
  v_at timestamptz;
  v_prev text;
  v_detail jsonb := coalesce(p_detail, '{}'::jsonb);
BEGIN
  LOCK TABLE audit.events IN EXCLUSIVE MODE;
  SELECT e.hash INTO v_prev FROM audit.events e ORDER BY e.id DESC LIMIT 1;
  v_prev := coalesce(v_prev, repeat('0', 64));
  v_id := nextval('audit.events_id_seq');
  v_at := clock_timestamp();
  INSERT INTO audit.events (id, at, os_user, host, db_user, action, phase, outcome, run_id, detail, prev_hash, hash)
  VALUES (v_id, v_at, p_os_user, p_host, session_user, p_action, p_phase, p_outcome, p_run_id, v_detail, v_prev,
          encode(sha256(convert_to(audit.canonical(v_id, v_at, p_os_user, p_host, session_user, p_action, p_phase, p_outcome, p_run_id, v_detail, v_prev), 'UTF8')), 'hex'));
  RETURN v_id;
END $$;
--> statement-breakpoint
CREATE FUNCTION "audit"."refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit.events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
--> statement-breakpoint
CREATE TRIGGER "events_append_only" BEFORE UPDATE OR DELETE ON "audit"."events" FOR EACH ROW EXECUTE FUNCTION "audit"."refuse_change"();
--> statement-breakpoint
CREATE TRIGGER "events_no_truncate" BEFORE TRUNCATE ON "audit"."events" FOR EACH STATEMENT EXECUTE FUNCTION "audit"."refuse_change"();
--> statement-breakpoint
REVOKE ALL ON "audit"."events" FROM PUBLIC;
--> statement-breakpoint
REVOKE ALL ON FUNCTION "audit"."append"(text, text, text, text, text, text, jsonb) FROM PUBLIC;
--> statement-breakpoint
GRANT USAGE ON SCHEMA "audit" TO dw_worker, dw_reader, dw_auditor;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION "audit"."append"(text, text, text, text, text, text, jsonb) TO dw_worker, dw_reader, dw_auditor;
--> statement-breakpoint
GRANT SELECT ON "audit"."events" TO dw_auditor;
