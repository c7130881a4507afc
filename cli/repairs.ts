// `dw quality repairs`: the values staging repaired before the contract, per asset, rule and column, with examples.
import type { Command } from 'commander';
import { table } from './output';
import { loadConfig } from '../infra/config';
import { createPool } from '../infra/db';

export interface RepairRow {
  assetKey: string;
  rule: string;
  column: string;
  count: number;
  examples: { record: number; from: string; to: string }[];
}

/** The repairs of each staging asset's current version (its checkpoint's materialization), most repaired first. */
export async function repairsReport(databaseUrl: string): Promise<RepairRow[]> {
  const pool = createPool(databaseUrl, 1);
  try {
    const { rows } =
      await pool.query(`SELECT c.asset_key, e->>'rule' AS rule, e->>'column' AS col, (e->>'count')::int AS n, e->'examples' AS examples
      FROM dw_meta.checkpoints k JOIN dw_meta.check_results c ON c.materialization_id = k.materialization_id AND c.check_name = 'repairs'
      CROSS JOIN LATERAL jsonb_array_elements(c.metadata->'repairs') AS e ORDER BY n DESC, 1, 2, 3`);
    return rows.map((r) => ({ assetKey: r.asset_key, rule: r.rule, column: r.col, count: r.n, examples: r.examples }));
  } finally {
    await pool.end();
  }
}

export function registerRepairs(program: Command): void {
  const quality = program.commands.find((c) => c.name() === 'quality') ?? program.command('quality').description('data quality reports');
  quality
    .command('repairs')
    .description(
      'values repaired in staging before the contract (zip padding, 44.0 → 44, blanks, control characters), per asset and rule, with examples',
    )
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }) => {
      const rows = await repairsReport(loadConfig().databaseUrl);
      const example = (r: RepairRow) =>
        r.examples[0] ? `record ${r.examples[0].record}: ${JSON.stringify(r.examples[0].from)} → ${JSON.stringify(r.examples[0].to)}` : '';
      process.stdout.write(
        `${
          opts.json
            ? JSON.stringify(rows, null, 2)
            : rows.length
              ? table(
                  rows.map((r) => [r.assetKey, r.rule, r.column, r.count.toLocaleString('en-US'), example(r)]),
                  ['asset', 'rule', 'column', 'repaired', 'first example'],
                )
              : 'no value was repaired in the current staging versions'
        }\n`,
      );
    });
}
