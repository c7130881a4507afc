// Generates the set-based SQL that repairs, checks, casts, deduplicates and quarantines one source file's raw rows.
import pg from 'pg';
import {
  KINDS,
  MISSING_RULE,
  NUL_BYTE_RULE,
  NUL_MARKER,
  TEXT_TOO_LONG_RULE,
  type ColumnSpec,
  type LoadContext,
} from '../../schema/contracts/column-types';
import type { SourceContract } from '../../schema/contracts/olist';
import { repairSteps } from '../../schema/contracts/repairs';
import { SEALED_COLUMNS } from '../../schema/pii';

const id = pg.escapeIdentifier;
const lit = pg.escapeLiteral;

/** The raw value with '' read as absent. */
function value(col: ColumnSpec): string {
  return `NULLIF(r.${id(col.name)}, '')`;
}

/** SQL that is true when a present value has the column's type. */
function validExpr(col: ColumnSpec): string {
  const spec = KINDS[col.kind];
  const v = value(col);
  if (!spec.pattern) return 'true';
  return spec.sql ? spec.sql(v) : `${v} ~ ${lit(spec.pattern)}`;
}

function missingExpr(col: ColumnSpec): string | undefined {
  return col.required ? `${value(col)} IS NULL` : undefined;
}

/**
 * SQL of a date window's two tests on a well-formed timestamp (its first 10 characters compare as dates): before
 * the window's first day; after the load's as-of date (only when `load` is given).
 */
function windowTests(col: ColumnSpec, load: LoadContext | undefined): { before?: string; after?: string } {
  const w = col.dateWindow;
  if (!w) return {};
  const date = `left(${value(col)}, 10)`;
  return { before: `${date} < ${lit(w.notBefore)}`, ...(load ? { after: `${date} > ${lit(asOfDate(load))}` } : {}) };
}

/** The as-of date, checked: it is written into SQL. */
function asOfDate(load: LoadContext): string {
  if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(load.asOf)) throw new Error(`the as-of date must be 'YYYY-MM-DD', got '${load.asOf}'`);
  return load.asOf;
}

/** True when the value holds a NUL byte of the file (written as NUL_MARKER by the extract). */
const nulExpr = (col: ColumnSpec) => `strpos(${value(col)}, ${lit(NUL_MARKER)}) > 0`;

/** The first broken rule of a row, or NULL when the row is good (a date window's end only with `load`). */
export function ruleExpr(c: SourceContract, load?: LoadContext): string {
  const whens = c.columns.flatMap((col) => {
    const out: string[] = [`WHEN ${nulExpr(col)} THEN ${lit(NUL_BYTE_RULE)}`];
    const missing = missingExpr(col);
    if (missing) out.push(`WHEN ${missing} THEN ${lit(MISSING_RULE)}`);
    if (KINDS[col.kind].pattern) out.push(`WHEN ${value(col)} IS NOT NULL AND NOT (${validExpr(col)}) THEN ${lit(KINDS[col.kind].rule)}`);
    if (col.maxLength !== undefined) out.push(`WHEN length(${value(col)}) > ${col.maxLength} THEN ${lit(TEXT_TOO_LONG_RULE)}`);
    const window = windowTests(col, load);
    if (window.before) out.push(`WHEN ${window.before} THEN ${lit(col.dateWindow!.beforeRule)}`);
    if (window.after) out.push(`WHEN ${window.after} THEN ${lit(col.dateWindow!.afterAsOfRule)}`);
    return out;
  });
  return `CASE ${whens.join(' ')} END`;
}

/** Every broken field of a row, as one readable sentence. */
function reasonExpr(c: SourceContract, load: LoadContext | undefined): string {
  const parts = c.columns.flatMap((col) => {
    const out: string[] = [
      `CASE WHEN ${nulExpr(col)} THEN ${lit(`${col.name} holds a NUL byte (0x00), which no text value may hold`)} END`,
    ];
    const missing = missingExpr(col);
    if (missing) out.push(`CASE WHEN ${missing} THEN ${lit(`${col.name} is missing`)} END`);
    if (KINDS[col.kind].pattern) {
      out.push(
        `CASE WHEN ${value(col)} IS NOT NULL AND NOT (${validExpr(col)}) THEN format('%s: %s is not %s', ${lit(col.name)}, quote_literal(left(${value(col)}, 80)), ${lit(KINDS[col.kind].expected)}) END`,
      );
    }
    if (col.maxLength !== undefined) {
      // A free text's words stay sealed: its length only.
      const start = SEALED_COLUMNS[col.name] ? `'sealed'` : `left(${value(col)}, 40)`;
      out.push(
        `CASE WHEN length(${value(col)}) > ${col.maxLength} THEN format('%s: %s characters (%s…), more than the %s allowed', ${lit(col.name)}, length(${value(col)}), ${start}, ${col.maxLength}) END`,
      );
    }
    // Only on a well-formed value: a malformed one already has its reason.
    const window = windowTests(col, load);
    const ok = `${value(col)} IS NOT NULL AND (${validExpr(col)})`;
    if (window.before) {
      out.push(
        `CASE WHEN ${ok} AND ${window.before} THEN ${lit(`${col.name}: `)} || ${value(col)} || ${lit(` is before ${col.dateWindow!.notBefore}, ${col.dateWindow!.notBeforeIs}`)} END`,
      );
    }
    if (window.after && load) {
      out.push(
        `CASE WHEN ${ok} AND ${window.after} THEN ${lit(`${col.name}: `)} || ${value(col)} || ${lit(` is after the load's as-of date ${load.asOf} (DW_AS_OF, else the run's start date)`)} END`,
      );
    }
    return out;
  });
  return `concat_ws('; ', ${parts.join(', ')})`;
}

/** The staged value: cast to the column's type; a free text sealed again (raw holds it sealed: see rawValue). */
function castExpr(col: ColumnSpec): string {
  const v = value(col);
  const scope = SEALED_COLUMNS[col.name];
  if (scope) return `pii.seal(${lit(scope)}, ${v})`;
  return col.kind === 'text' || col.kind === 'id' || col.kind === 'code' ? v : `${v}::${KINDS[col.kind].sqlType}`;
}

/** The raw row's field as the rules read it: a free text opened (raw.* seals it on insert, schema/pii.ts). */
function rawValue(col: ColumnSpec): string {
  return SEALED_COLUMNS[col.name] ? `pii.open(r.${id(col.name)})` : `r.${id(col.name)}`;
}

/**
 * The column's value after its repairs (schema/contracts/repairs.ts), and one provenance entry per repair that applies
 * (a free text's before and after are not written out: they would leave the seal).
 */
export function repaired(col: ColumnSpec, raw = rawValue(col)): { expr: string; provenance: string[] } {
  const shown = (v: string) => (SEALED_COLUMNS[col.name] ? `'[sealed]'` : v);
  let expr = raw;
  const steps: { input: string; sql: (final: string) => string }[] = [];
  for (const step of repairSteps(col)) {
    const input = expr;
    steps.push({
      input,
      sql: (final) =>
        `CASE WHEN ${step.sqlApplies(input)} THEN jsonb_build_object('rule', ${lit(step.rule)}, 'column', ${lit(col.name)}, 'from', ${shown(raw)}, 'to', ${shown(final)}) END`,
    });
    expr = `CASE WHEN ${step.sqlApplies(input)} THEN ${step.sqlFix(input)} ELSE ${input} END`;
  }
  return { expr, provenance: steps.map((s) => s.sql(expr)) };
}

/** Repairs per rule and column of the staged rows: count and the first three examples (original → repaired). */
const REPAIRS_SUMMARY = `
    SELECT coalesce(jsonb_agg(jsonb_build_object('rule', rule, 'column', col, 'count', n, 'examples', examples) ORDER BY rule, col), '[]'::jsonb)
      FROM (SELECT e->>'rule' AS rule, e->>'column' AS col, count(*)::int AS n,
                   jsonb_path_query_array(jsonb_agg(jsonb_build_object('record', r._source_row, 'from', e->'from', 'to', e->'to') ORDER BY r._source_row), '$[0 to 2]') AS examples
              FROM checked r CROSS JOIN LATERAL unnest(r._repairs) AS e
             WHERE r._rule IS NULL GROUP BY 1, 2) AS per_rule`;

/** The raw row's fields as staging checks them (free text opened, repairs applied), for a `SELECT … FROM raw.x r`. */
export function sourceColumnsOpened(c: SourceContract): string {
  return c.columns.map((col) => `${c.repairs === false ? rawValue(col) : repaired(col).expr} AS ${id(col.name)}`).join(', ');
}

export interface StagingStatements {
  /** Repairs, quarantines the raw rows that break a rule and stages the rest; returns (quarantined, staged, repairs). */
  split: string;
  counts: string;
}

/**
 * $1 = asset key. One statement: each raw row is repaired and its rule expression evaluated once (materialized
 * CTEs), then the rows that break it go to the quarantine as written in the file, and the others, repaired and
 * cast, to staging; the repairs of the staged rows are summed per rule and column with examples.
 */
export function stagingStatements(c: SourceContract, load?: LoadContext): StagingStatements {
  const raw = `raw.${id(c.name)}`;
  const staging = `staging.${id(c.name)}`;
  const cols = c.columns.map((col) => id(col.name));
  const record = `jsonb_build_object(${c.columns.map((col) => `${lit(col.name)}, r.${id(col.name)}`).join(', ')})`;
  const repairs = c.columns.map((col) => (c.repairs === false ? { expr: rawValue(col), provenance: [] } : repaired(col)));
  const provenance = repairs.flatMap((x) => x.provenance);
  const src = `SELECT r._source_file, r._source_sha256, r._source_row, ${record} AS _record,
      ${repairs.map((x, i) => `${x.expr} AS ${cols[i]}`).join(', ')},
      ${provenance.length ? `array_remove(ARRAY[${provenance.join(', ')}]::jsonb[], NULL)` : `ARRAY[]::jsonb[]`} AS _repairs
    FROM ${raw} r`;
  const casts = c.columns.map(castExpr).join(', ');
  const stage = c.dedupe
    ? // Exact duplicates (every field equal as text) keep their first record in file order.
      `SELECT DISTINCT ON (${cols.map((col) => `r.${col}`).join(', ')}) ${casts}, r._source_sha256, r._source_row
         FROM checked r WHERE r._rule IS NULL
        ORDER BY ${cols.map((col) => `r.${col}`).join(', ')}, r._source_row`
    : `SELECT ${casts}, r._source_sha256, r._source_row FROM checked r WHERE r._rule IS NULL`;
  const split = `
    WITH src AS MATERIALIZED (${src}),
    checked AS MATERIALIZED (SELECT r.*, ${ruleExpr(c, load)} AS _rule FROM src r),
    q AS (
      INSERT INTO quarantine.rows (asset_key, partition_key, rule_code, reason, source_file, source_sha256, source_row, record)
      SELECT $1, '', r._rule, ${reasonExpr(c, load)}, r._source_file, r._source_sha256, r._source_row, r._record
        FROM checked r WHERE r._rule IS NOT NULL
      RETURNING 1),
    s AS (INSERT INTO ${staging} (${cols.join(', ')}, _source_sha256, _source_row) ${stage} RETURNING 1)
    SELECT (SELECT count(*) FROM q)::int AS quarantined, (SELECT count(*) FROM s)::int AS staged, (${REPAIRS_SUMMARY}) AS repairs`;
  const counts = `SELECT (SELECT count(*) FROM ${raw}) AS read,
                         (SELECT count(*) FROM ${staging}) AS written,
                         (SELECT count(*) FROM quarantine.rows WHERE asset_key = $1 AND partition_key = '') AS quarantined`;
  return { split, counts };
}
