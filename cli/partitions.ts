// `dw partitions`: each partitioned asset × month from the ledger, as a grid, with the reasons of what is not current.
import type { Command } from 'commander';
import { assess } from '../activities/ledger/staleness';
import { listPartitions } from '../activities/shared/partitions';
import { expandPlan, select } from '../assets';
import * as services from '../infra/services';
import { commandGraph, jsonOption, print, withPool } from './command';
import { PARTITION_LEGEND, UsageError, partitionGrid, table, tally } from './output';

export function registerPartitions(program: Command): void {
  program
    .command('partitions')
    .description('each partitioned asset × month from the ledger: materialized, stale, failed, blocked or missing')
    .option('--select <expr>', 'only these assets', '*')
    .addOption(jsonOption())
    .action(async (opts) => {
      await services.up({ worker: false });
      const graph = await commandGraph();
      const keys = select(graph, opts.select).filter((k) => graph.get(k).partitioned);
      if (keys.length === 0)
        throw new UsageError(
          `'${opts.select}' selects no partitioned asset: the partitioned ones are ${graph
            .keys()
            .filter((k) => graph.get(k).partitioned)
            .join(', ')}`,
        );
      const states = await withPool(async (pool) => assess(pool, graph, expandPlan(graph, keys, await listPartitions(pool))));
      const all = [...states.values()];
      const problems = all.filter((s) => s.status !== 'materialized');
      const cells = new Map(keys.map((k) => [k, new Map(all.filter((s) => s.assetKey === k).map((s) => [s.partitionKey, s.status]))]));
      print({ assets: keys.map((k) => ({ key: k, partitions: Object.fromEntries(cells.get(k) ?? []) })), problems }, opts.json, () =>
        [
          PARTITION_LEGEND,
          partitionGrid(keys.map((k) => ({ key: k, cells: cells.get(k) ?? new Map() }))),
          '',
          ...keys.map((k) => `${k}: ${tally(cells.get(k)?.values() ?? [])}`),
          ...(problems.length
            ? [
                '',
                table(
                  problems.slice(0, 30).map((s) => [s.node, s.status, s.reason]),
                  ['asset partition', 'status', 'reason'],
                ),
              ]
            : []),
          ...(problems.length > 30 ? [`… ${problems.length - 30} more (--json lists all)`] : []),
        ].join('\n'),
      );
    });
}
