// `dw assets`: the asset graph, each asset with its upstream assets and its last materialization.
import type { Command } from 'commander';
import { latestStatus } from '../activities/ledger/ledger';
import { select } from '../assets';
import { commandGraph, jsonOption, print, withPool } from './command';
import { count, table } from './output';

export function registerAssets(program: Command): void {
  program
    .command('assets')
    .description('the asset graph: each asset, its upstream assets and its last materialization')
    .addOption(jsonOption())
    .option('--select <expr>', 'only these assets', '*')
    .action(async (opts) => {
      const graph = await commandGraph();
      const keys = select(graph, opts.select);
      const status = await withPool(latestStatus).catch(() => []);
      const rows = keys.map((k) => {
        const a = graph.get(k);
        const last = status.filter((s) => s.assetKey === k).at(-1);
        return {
          key: k,
          group: a.group,
          kind: a.kind,
          deps: a.deps,
          partitioned: a.partitioned,
          checks: a.checks.map((c) => c.name),
          last: last ?? null,
        };
      });
      print(rows, opts.json, () =>
        table(
          rows.map((r) => [
            r.key,
            r.kind,
            r.deps.join(', ') || '—',
            r.partitioned ? 'monthly' : '—',
            r.last ? `${r.last.status} ${r.last.at} (${count(r.last.rowsWritten)} rows)` : 'never',
          ]),
          ['asset', 'kind', 'upstream', 'partitions', 'last materialization'],
        ),
      );
    });
}
