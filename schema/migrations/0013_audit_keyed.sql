-- 0013_audit_keyed: the audit chain is keyed. hash = HMAC-SHA-256(canonical(row with prev_hash), audit key), the key
-- 32 random bytes in a 0600 file outside the database (DW_AUDIT_KEY_FILE, default beside the master key file, created
-- by the first append; infra/audit-log.ts). Whoever appends passes the key to audit.append; it is never stored here,
-- never logged (the server logs no statements or parameters; docs/security.md) and in no error message. Without it the
-- owner can change, remove or add rows only so that `dw audit verify` names them; the head of the chain is anchored
-- outside the database after every append, so a removed tail is named too.
-- Upgrade: rows written before this migration keep their plain sha256 hash (alg 'sha256'); the first keyed row links to
-- the last of them, and its HMAC covers that link, so the legacy prefix is sealed by it. verify accepts 'sha256' only
-- before the first keyed row.
ALTER TABLE "audit"."events" ADD COLUMN "alg" text NOT NULL DEFAULT 'sha256';
--> statement-breakpoint
ALTER TABLE "audit"."events" ALTER COLUMN "alg" DROP DEFAULT;
--> statement-breakpoint
DROP FUNCTION "audit"."append"(text, text, text, text, text, text, jsonb);
--> statement-breakpoint
-- The only way in: under an exclusive lock (one link at a time, no forks), the next id, the previous hash, the new
-- keyed hash; returns the new head (its id, hash and the number of events) for the caller to anchor.
DO $do$
DECLARE v_crypto text := (SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pgcrypto');
BEGIN
  EXECUTE format($f$
CREATE FUNCTION "audit"."append"(p_key bytea, p_os_user text, p_host text, p_action text, p_phase text, p_outcome text,
    p_run_id text, p_detail jsonb)
  RETURNS TABLE (event_id bigint, event_hash text, events bigint)
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  v_id bigint;
  v_at timestamptz;
  v_prev text;
  v_hash text;
  v_detail jsonb := coalesce(p_detail, '{}'::jsonb);
BEGIN
  IF p_key IS NULL OR octet_length(p_key) <> 32 THEN
    RAISE EXCEPTION 'audit.append needs the 32-byte audit key (the audit key file)' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  LOCK TABLE audit.events IN EXCLUSIVE MODE;
  SELECT e.hash INTO v_prev FROM audit.events e ORDER BY e.id DESC LIMIT 1;
  v_prev := coalesce(v_prev, repeat('0', 64));
  v_id := nextval('audit.events_id_seq');
  v_at := clock_timestamp();
  v_hash := encode(%1$I.hmac(convert_to(audit.canonical(v_id, v_at, p_os_user, p_host, session_user, p_action, p_phase, p_outcome,
                                                        p_run_id, v_detail, v_prev), 'UTF8'), p_key, 'sha256'), 'hex');
  INSERT INTO audit.events (id, at, os_user, host, db_user, action, phase, outcome, run_id, detail, prev_hash, hash, alg)
  VALUES (v_id, v_at, p_os_user, p_host, session_user, p_action, p_phase, p_outcome, p_run_id, v_detail, v_prev, v_hash, 'hmac-sha256');
  RETURN QUERY SELECT v_id, v_hash, (SELECT count(*) FROM audit.events);
END $$
$f$, v_crypto);
END $do$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION "audit"."append"(bytea, text, text, text, text, text, text, jsonb) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION "audit"."append"(bytea, text, text, text, text, text, text, jsonb) TO dw_worker, dw_reader, dw_auditor;
