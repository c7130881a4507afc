-- 0011_lgpd: LGPD erasure that stays erased (issue 15 item 3; docs/security.md, activities/lgpd/).
-- pii.tombstones holds the keyed hash (pii.keyed_hash, never the id) of every id of an erased person: their
-- customer_unique_id, each customer_id and each order_id. BEFORE INSERT triggers drop a tombstoned row as it enters
-- raw (COPY fires them), so no later load, backfill or replay brings it back; pii.apply_tombstones() deletes
-- tombstoned rows from every layer (run at the end of `dw lgpd erase`, and after restoring a backup).
CREATE TABLE "pii"."tombstones" (
	"subject_hash" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"request_id" text NOT NULL,
	"erased_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tombstones_kind_check" CHECK ("kind" IN ('customer_unique_id', 'customer_id', 'order_id')),
	CONSTRAINT "tombstones_hash_check" CHECK ("subject_hash" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
CREATE INDEX "tombstones_request_idx" ON "pii"."tombstones" ("request_id");
--> statement-breakpoint
-- A tombstone is permanent: UPDATE, DELETE and TRUNCATE are refused (an erased person cannot be un-erased by a row edit).
CREATE FUNCTION "pii"."refuse_tombstone_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'pii.tombstones is append-only: % refused (an erasure cannot be undone)', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
--> statement-breakpoint
CREATE TRIGGER "tombstones_append_only" BEFORE UPDATE OR DELETE ON "pii"."tombstones" FOR EACH ROW EXECUTE FUNCTION "pii"."refuse_tombstone_change"();
--> statement-breakpoint
CREATE TRIGGER "tombstones_no_truncate" BEFORE TRUNCATE ON "pii"."tombstones" FOR EACH STATEMENT EXECUTE FUNCTION "pii"."refuse_tombstone_change"();
--> statement-breakpoint
-- The pseudonym data key (as pii.keyed_hash uses it), unwrapped once per transaction and kept in the transaction's
-- setting `dw.tombstone_key`: hashing a million rows then costs one HMAC each, not a parse of the session's key ring.
CREATE FUNCTION "pii"."tombstone_key"() RETURNS bytea LANGUAGE plpgsql STABLE SET search_path = pii, public, pg_catalog AS $$
DECLARE v text := current_setting('dw.tombstone_key', true);
BEGIN
  IF v IS NULL OR v = '' THEN
    v := encode(pii.data_key(pii.session_keys() -> 'active' ->> 'pseudonym'), 'hex');
    PERFORM set_config('dw.tombstone_key', v, true);
  END IF;
  RETURN decode(v, 'hex');
END $$;
--> statement-breakpoint
-- Drops a row entering raw when the keyed hash of one of the columns named in the trigger's arguments is tombstoned,
-- and counts it in the transaction's setting `dw.tombstoned.<table>` (pii.tombstoned_rows reads it: the extract's row
-- accounting). Without any tombstone the cost is one setting read per row (cached per transaction in
-- `dw.tombstones_present`): no hash is computed. The hash is pii.keyed_hash's, with the key read once per transaction
-- (pii.tombstone_key) and one index probe per row. No SET search_path (it costs a configuration save and restore per
-- row): pgcrypto's schema is written into the body here.
DO $do$
DECLARE v_crypto text := (SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pgcrypto');
BEGIN
  EXECUTE format($f$
CREATE FUNCTION "pii"."drop_tombstoned"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_any text := pg_catalog.current_setting('dw.tombstones_present', true);
  v_key bytea;
  v_row jsonb;
  v_hashes text[] := '{}';
  v_value text;
  v_counter text;
  i int;
BEGIN
  IF v_any IS NULL OR v_any = '' THEN
    v_any := CASE WHEN EXISTS (SELECT FROM pii.tombstones) THEN 'yes' ELSE 'no' END;
    PERFORM pg_catalog.set_config('dw.tombstones_present', v_any, true);
  END IF;
  IF v_any = 'no' THEN RETURN NEW; END IF;
  v_key := pg_catalog.decode(pg_catalog.current_setting('dw.tombstone_key', true), 'hex');
  IF v_key IS NULL OR pg_catalog.length(v_key) = 0 THEN v_key := pii.tombstone_key(); END IF;
  v_row := pg_catalog.to_jsonb(NEW);
  FOR i IN 0 .. TG_NARGS - 1 LOOP
    v_value := v_row ->> TG_ARGV[i];
    IF v_value <> '' THEN
      v_hashes := v_hashes || pg_catalog.encode(%1$I.hmac(pg_catalog.convert_to(v_value, 'UTF8'), v_key, 'sha256'), 'hex');
    END IF;
  END LOOP;
  IF EXISTS (SELECT FROM pii.tombstones t WHERE t.subject_hash = ANY(v_hashes)) THEN
    v_counter := 'dw.tombstoned.' || TG_TABLE_NAME;
    PERFORM pg_catalog.set_config(v_counter, (coalesce(nullif(pg_catalog.current_setting(v_counter, true), ''), '0')::bigint + 1)::text, true);
    RETURN NULL;
  END IF;
  RETURN NEW;
END $$
$f$, v_crypto);
END $do$;
--> statement-breakpoint
-- Rows of raw.<p_table> dropped by tombstones so far in this transaction (0 when none).
CREATE FUNCTION "pii"."tombstoned_rows"(p_table text) RETURNS bigint LANGUAGE sql STABLE AS $$
  SELECT coalesce(nullif(current_setting('dw.tombstoned.' || p_table, true), ''), '0')::bigint
$$;
--> statement-breakpoint
-- Named so that they fire before the lead's `sealed` trigger (alphabetical order): a dropped row is never sealed.
CREATE TRIGGER "dw_tombstones" BEFORE INSERT ON "raw"."customers" FOR EACH ROW EXECUTE FUNCTION "pii"."drop_tombstoned"('customer_unique_id', 'customer_id');
--> statement-breakpoint
CREATE TRIGGER "dw_tombstones" BEFORE INSERT ON "raw"."orders" FOR EACH ROW EXECUTE FUNCTION "pii"."drop_tombstoned"('customer_id', 'order_id');
--> statement-breakpoint
CREATE TRIGGER "dw_tombstones" BEFORE INSERT ON "raw"."order_items" FOR EACH ROW EXECUTE FUNCTION "pii"."drop_tombstoned"('order_id');
--> statement-breakpoint
CREATE TRIGGER "dw_tombstones" BEFORE INSERT ON "raw"."order_payments" FOR EACH ROW EXECUTE FUNCTION "pii"."drop_tombstoned"('order_id');
--> statement-breakpoint
CREATE TRIGGER "dw_tombstones" BEFORE INSERT ON "raw"."order_reviews" FOR EACH ROW EXECUTE FUNCTION "pii"."drop_tombstoned"('order_id');
--> statement-breakpoint
-- Every table that can hold a person's rows, found in the catalog (so dbt models, their shadows and the versions kept in
-- dw_versions are included whatever their names): ordinary tables with an id column, outside the schemas of keys,
-- audit, the ledger and migrations. `layer` orders locking and deletion (raw first, marts last).
CREATE FUNCTION "pii"."subject_relations"() RETURNS TABLE (layer int, schema_name text, table_name text, id_columns text[])
  LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN n.nspname = 'raw' THEN 1 WHEN n.nspname = 'staging' THEN 2
              WHEN n.nspname IN ('sales', 'customer', 'fulfillment', 'marketplace') THEN 3 ELSE 4 END,
         n.nspname::text, c.relname::text, array_agg(a.attname::text ORDER BY a.attnum)
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
   WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
     AND a.attname IN ('customer_unique_id', 'customer_id', 'latest_customer_id', 'order_id')
     AND n.nspname NOT IN ('pii', 'audit', 'dw_meta', 'drizzle', 'quarantine', 'events', 'information_schema')
     AND n.nspname NOT LIKE 'pg\_%'
   GROUP BY 1, 2, 3
   ORDER BY 1, 2, 3
$$;
--> statement-breakpoint
-- Deletes every tombstoned row from every layer and returns the rows deleted per relation (those with any). A value
-- matches by its keyed hash, or, in the marts, by its pseudonym ('p_' || left(hash, 20), derived from the tombstone:
-- no mart value needs hashing). Outbox events match by aggregate id or the ids in their payload; quarantined records
-- by their (masked) identifiers. The staged partition lists are refreshed when staged orders went.
CREATE FUNCTION "pii"."apply_tombstones"() RETURNS TABLE (relation text, rows bigint) LANGUAGE plpgsql
  SET search_path = pii, public, pg_catalog AS $$
DECLARE
  v_key bytea;
  v_hashes text[];
  v_pseudonyms text[];
  v_rel record;
  v_where text;
  v_col text;
  v_n bigint;
  v_staged_orders bigint := 0;
BEGIN
  SELECT coalesce(array_agg(t.subject_hash), '{}'), coalesce(array_agg('p_' || left(t.subject_hash, 20)), '{}')
    INTO v_hashes, v_pseudonyms FROM pii.tombstones t;
  IF cardinality(v_hashes) = 0 THEN RETURN; END IF;
  v_key := pii.tombstone_key();
  FOR v_rel IN SELECT * FROM pii.subject_relations() LOOP
    v_where := '';
    FOREACH v_col IN ARRAY v_rel.id_columns LOOP
      v_where := v_where || CASE WHEN v_where = '' THEN '' ELSE ' OR ' END
        || format('(%1$I::text = ANY($2) OR (left(%1$I::text, 2) <> ''p_'' AND encode(hmac(convert_to(%1$I::text, ''UTF8''), $3, ''sha256''), ''hex'') = ANY($1)))', v_col);
    END LOOP;
    EXECUTE format('DELETE FROM %I.%I WHERE %s', v_rel.schema_name, v_rel.table_name, v_where) USING v_hashes, v_pseudonyms, v_key;
    GET DIAGNOSTICS v_n = ROW_COUNT;
    IF v_rel.schema_name = 'staging' AND v_rel.table_name = 'orders' THEN v_staged_orders := v_n; END IF;
    IF v_n > 0 THEN relation := v_rel.schema_name || '.' || v_rel.table_name; rows := v_n; RETURN NEXT; END IF;
  END LOOP;
  DELETE FROM events.outbox e
   WHERE EXISTS (SELECT FROM unnest(ARRAY[e.aggregate_id, e.payload ->> 'orderId', e.payload ->> 'customerId', e.payload ->> 'customerUniqueId']) v
                  WHERE encode(hmac(convert_to(v, 'UTF8'), v_key, 'sha256'), 'hex') = ANY(v_hashes));
  GET DIAGNOSTICS v_n = ROW_COUNT;
  IF v_n > 0 THEN relation := 'events.outbox'; rows := v_n; RETURN NEXT; END IF;
  DELETE FROM quarantine.rows q
   WHERE q.record ->> 'customer_unique_id' = ANY(v_pseudonyms) OR q.record ->> 'customer_id' = ANY(v_pseudonyms)
      OR EXISTS (SELECT FROM unnest(ARRAY[q.record ->> 'order_id', q.record ->> 'customer_id', q.record ->> 'customer_unique_id']) v
                  WHERE encode(hmac(convert_to(v, 'UTF8'), v_key, 'sha256'), 'hex') = ANY(v_hashes));
  GET DIAGNOSTICS v_n = ROW_COUNT;
  IF v_n > 0 THEN relation := 'quarantine.rows'; rows := v_n; RETURN NEXT; END IF;
  IF v_staged_orders > 0 THEN
    REFRESH MATERIALIZED VIEW staging.order_partitions;
    REFRESH MATERIALIZED VIEW staging.customer_partitions;
  END IF;
END $$;
--> statement-breakpoint
REVOKE ALL ON "pii"."tombstones" FROM PUBLIC;
--> statement-breakpoint
REVOKE ALL ON FUNCTION "pii"."tombstone_key"(), "pii"."drop_tombstoned"(), "pii"."tombstoned_rows"(text), "pii"."subject_relations"(), "pii"."apply_tombstones"(), "pii"."refuse_tombstone_change"() FROM PUBLIC;
--> statement-breakpoint
-- The worker's loads read the tombstones (the raw triggers run as the loading role) and its extract counts the drops;
-- only the owner (dw lgpd erase) writes tombstones and applies them.
GRANT SELECT ON "pii"."tombstones" TO dw_worker;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION "pii"."tombstone_key"(), "pii"."drop_tombstoned"(), "pii"."tombstoned_rows"(text) TO dw_worker;
