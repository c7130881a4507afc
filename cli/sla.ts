// `dw sla`: each asset with a freshness SLA, its last successful materialization, its age and whether the SLA is breached.
import type { Command } from 'commander';
import { loadGraph } from '../activities/dbt/manifest';
import { freshnessSlaSeconds } from '../assets/freshness';
import { table } from './output';
import { loadConfig } from '../infra/config';
import { createPool } from '../infra/db';

export interface SlaRow {
  assetKey: string;
  slaHours: number;
  lastSuccess: string | null;
  ageHours: number | null;
  state: 'ok' | 'breached' | 'never';
}

/** The SLA report from the ledger: an asset never materialized successfully counts as breached too ('never'). */
export async function slaReport(databaseUrl: string): Promise<SlaRow[]> {
  const graph = await loadGraph(databaseUrl);
  const pool = createPool(databaseUrl, 1);
  try {
    const { rows } = await pool.query(`SELECT asset_key, to_char(max(created_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS at,
        extract(epoch FROM now() - max(created_at))::float8 AS age FROM dw_meta.materializations WHERE status = 'success' GROUP BY 1`);
    const last = new Map(rows.map((r) => [r.asset_key as string, r as { at: string; age: number }]));
    return graph.keys().flatMap((assetKey) => {
      const sla = freshnessSlaSeconds(assetKey);
      if (sla === undefined) return [];
      const l = last.get(assetKey);
      const state = !l ? 'never' : l.age > sla ? 'breached' : 'ok';
      return [{ assetKey, slaHours: sla / 3600, lastSuccess: l?.at ?? null, ageHours: l ? Math.round(l.age / 36) / 100 : null, state }];
    });
  } finally {
    await pool.end();
  }
}

export function registerSla(program: Command): void {
  program
    .command('sla')
    .description("freshness SLAs: each asset's last success, its age and breach (exit 1 when any is breached or never materialized)")
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }) => {
      const rows = await slaReport(loadConfig().databaseUrl);
      process.stdout.write(
        `${
          opts.json
            ? JSON.stringify(rows, null, 2)
            : table(
                rows.map((r) => [
                  r.assetKey,
                  `${r.slaHours} h`,
                  r.lastSuccess ?? '—',
                  r.ageHours === null ? '—' : `${r.ageHours} h`,
                  r.state,
                ]),
                ['asset', 'sla', 'last success', 'age', 'state'],
              )
        }\n`,
      );
      if (rows.some((r) => r.state !== 'ok')) process.exitCode = 1;
    });
}
