-- 0012_pii_followups: the auditor may read the quarantine (masked records) and, with the key file, reveal it
-- (`dw quarantine list --reveal`, audited), nothing else of the pipeline (docs/security.md, roles); a cheaper keyed hash.
GRANT USAGE ON SCHEMA "quarantine" TO dw_auditor;
--> statement-breakpoint
GRANT SELECT ON "quarantine"."rows" TO dw_auditor;
--> statement-breakpoint
-- pii.keyed_hash, cheaper: dbt's staging views call it for every customer row of every model that reads them. The
-- pseudonym key never changes (rotation re-wraps it), so a session keeps it decoded in `dw.pseudonym_key` after the
-- first call; no SET search_path (a configuration save and restore per call): pgcrypto's schema is written in.
DO $do$
DECLARE v_crypto text := (SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pgcrypto');
BEGIN
  EXECUTE format($f$
CREATE OR REPLACE FUNCTION "pii"."keyed_hash"(p_value text) RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE v_key text := pg_catalog.current_setting('dw.pseudonym_key', true);
BEGIN
  IF p_value IS NULL THEN RETURN NULL; END IF;
  IF v_key IS NULL OR v_key = '' THEN
    v_key := pg_catalog.encode(pii.data_key(pii.session_keys() -> 'active' ->> 'pseudonym'), 'hex');
    PERFORM pg_catalog.set_config('dw.pseudonym_key', v_key, false);
  END IF;
  RETURN pg_catalog.encode(%1$I.hmac(pg_catalog.convert_to(p_value, 'UTF8'), pg_catalog.decode(v_key, 'hex'), 'sha256'), 'hex');
END $$
$f$, v_crypto);
END $do$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION "pii"."pseudonym"(p_value text) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT 'p_' || pg_catalog.left(pii.keyed_hash(p_value), 20)
$$;
