// `dw quarantine` (summary by asset × rule, with the share of the asset's rows and a first example) and `dw quarantine list`.
import { type Command, Option } from 'commander';
import { UsageError, table } from './output';
import type { Pool } from '../infra/db';
import { audit } from './audit';
import { withPool } from './command';

export interface QuarantineSummaryRow {
  assetKey: string;
  rule: string;
  rows: number;
  /** Share of the asset's rows read by its current versions, in percent. */
  percent: number | null;
  example: { source: string; reason: string };
}

export async function quarantineSummary(pool: Pool): Promise<QuarantineSummaryRow[]> {
  const { rows } = await pool.query(`
    WITH read AS (SELECT k.asset_key, sum(m.rows_read)::bigint AS n FROM dw_meta.checkpoints k
                    JOIN dw_meta.materializations m ON m.id = k.materialization_id GROUP BY 1),
         q AS (SELECT asset_key, rule_code, count(*)::int AS n,
                      (array_agg(source_file || ':' || source_row ORDER BY source_file, source_row))[1] AS source,
                      (array_agg(reason ORDER BY source_file, source_row))[1] AS reason
                 FROM quarantine.rows GROUP BY 1, 2)
    SELECT q.*, round(100.0 * q.n / nullif(read.n, 0), 2)::float8 AS pct FROM q LEFT JOIN read USING (asset_key)
     ORDER BY q.n DESC, q.asset_key, q.rule_code`);
  return rows.map((r) => ({
    assetKey: r.asset_key,
    rule: r.rule_code,
    rows: r.n,
    percent: r.pct,
    example: { source: r.source, reason: r.reason },
  }));
}

/**
 * The record as written: the sealed copy opened, and the free text inside it too (a staged row's comments were sealed
 * before it was quarantined). Needs the PII keys in the session: the caller's key file and a role that may open.
 */
const REVEALED = `(SELECT jsonb_object_agg(e.key, CASE WHEN c.pii_class = 'free_text' AND jsonb_typeof(e.value) = 'string'
                                               THEN to_jsonb(pii.open(e.value #>> '{}')) ELSE e.value END)
                     FROM jsonb_each(pii.open(sealed_record)::jsonb) AS e LEFT JOIN pii.columns c ON c.column_name = e.key)`;

export async function quarantineList(pool: Pool, f: { asset?: string; rule?: string; limit: number; offset: number; reveal?: boolean }) {
  const { rows } = await pool.query(
    `SELECT id, asset_key, partition_key, rule_code, reason, source_file, source_row,
            ${f.reveal ? `coalesce(${REVEALED}, record)` : 'record'} AS record,
            count(*) OVER (PARTITION BY asset_key, rule_code)::int AS rule_rows, count(*) OVER ()::int AS total
       FROM quarantine.rows WHERE ($1::text IS NULL OR asset_key = $1) AND ($2::text IS NULL OR rule_code = $2)
      ORDER BY rule_rows DESC, asset_key, rule_code, partition_key, source_row LIMIT $3 OFFSET $4`,
    [f.asset ?? null, f.rule ?? null, f.limit, f.offset],
  );
  const total =
    rows[0]?.total ??
    (
      await pool.query(
        `SELECT count(*)::int AS n FROM quarantine.rows WHERE ($1::text IS NULL OR asset_key = $1) AND ($2::text IS NULL OR rule_code = $2)`,
        [f.asset ?? null, f.rule ?? null],
      )
    ).rows[0].n;
  return { total, offset: f.offset, limit: f.limit, masked: !f.reveal, rows: rows.map(({ total: _t, ...r }) => r) };
}

const nonNegativeInt = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${name} must be a whole number ≥ 0, got '${v}'`);
  return n;
};

/** Registers `dw quarantine` with its summary (the default) and list; returns the group for more subcommands. */
export function registerQuarantine(program: Command): Command {
  const quarantine = program.command('quarantine').description('rows that failed a contract or a rule');
  const json = () => new Option('--json', 'machine-readable output');
  quarantine
    .command('summary', { isDefault: true })
    .description("quarantined rows per asset and rule: count, share of the asset's rows, first example (the default)")
    .addOption(json())
    .action(async (opts: { json?: boolean }) => {
      const rows = await withPool(quarantineSummary);
      const total = rows.reduce((n, r) => n + r.rows, 0);
      process.stdout.write(
        `${
          opts.json
            ? JSON.stringify({ total, rules: rows }, null, 2)
            : rows.length
              ? `${table(
                  rows.map((r) => [
                    r.assetKey,
                    r.rule,
                    r.rows.toLocaleString('en-US'),
                    r.percent === null ? '—' : `${r.percent}%`,
                    `${r.example.source}: ${r.example.reason}`,
                  ]),
                  ['asset', 'rule', 'rows', 'share', 'first example'],
                )}\n${total.toLocaleString('en-US')} rows quarantined under ${rows.length} asset × rule pairs`
              : 'no quarantined rows'
        }\n`,
      );
    });
  quarantine
    .command('list')
    .description('quarantined rows, the most frequent asset × rule first, with rule code, reason, source file and record number')
    .option('--asset <key>', 'only this asset')
    .option('--rule <code>', 'only this rule code')
    .option('--limit <n>', 'at most this many rows', nonNegativeInt('--limit'), 50)
    .option('--offset <n>', 'skip this many rows first', nonNegativeInt('--offset'), 0)
    .option('--reveal', 'show the records as written, personal data included (needs the key file; recorded in the audit log)')
    .addOption(json())
    .action(async (opts: { asset?: string; rule?: string; limit: number; offset: number; reveal?: boolean; json?: boolean }) => {
      const page = await withPool((pool) => quarantineList(pool, opts));
      // Recorded before anything is shown: which rows were revealed, to whom (the audit event's who and host).
      if (opts.reveal)
        await audit({
          action: 'quarantine reveal',
          phase: 'event',
          outcome: 'ok',
          detail: { asset: opts.asset, rule: opts.rule, rows: page.rows.map((r) => Number(r.id)) },
        });
      const shown = page.rows.length
        ? `rows ${page.offset + 1}–${page.offset + page.rows.length} of ${page.total}`
        : `0 of ${page.total} rows`;
      process.stdout.write(
        `${
          opts.json
            ? JSON.stringify(page, null, 2)
            : `${
                page.rows.length
                  ? table(
                      page.rows.map((r) => [
                        r.asset_key,
                        r.partition_key || '—',
                        r.rule_code,
                        r.rule_rows,
                        `${r.source_file}:${r.source_row}`,
                        r.reason,
                        ...(opts.reveal ? [JSON.stringify(r.record)] : []),
                      ]),
                      ['asset', 'partition', 'rule', 'rule rows', 'source', 'reason', ...(opts.reveal ? ['record (revealed)'] : [])],
                    )
                  : 'no quarantined rows here'
              }\n${shown}`
        }\n`,
      );
    });
  return quarantine;
}
