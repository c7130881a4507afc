// `dw quarantine replay`: validate again the domain partitions that hold quarantined rows (after a rule or data fix).
import type { Command } from 'commander';
import { quarantinedPartitions } from '../activities/ledger/ledger';
import type { RunSummary } from '../workflows/definitions';
import { jsonOption, print, sourceOption, withClient, withPool } from './command';
import { summaryTable } from './output';
import { sourceDir } from './source';
import { awaitSummary, startMaterialize } from './temporal-client';

export function registerReplay(quarantine: Command): void {
  quarantine
    .command('replay')
    .description('re-run validation for the partitions that have quarantined rows (after a rule or data fix)')
    .option('--rule <code>', 'only partitions with rows under this rule code')
    .addOption(sourceOption())
    .addOption(jsonOption())
    .action(async (opts) => {
      const targets = await withPool((pool) => quarantinedPartitions(pool, opts.rule));
      if (targets.length === 0) return print([], opts.json, () => 'nothing to replay: no quarantined domain rows match');
      const results: RunSummary[] = [];
      const dir = sourceDir(opts.source);
      await withClient(async (client) => {
        for (const t of targets) {
          const input = { selection: t.assetKey, partitionKey: t.partitionKey || undefined, sourceDir: dir, force: true };
          const handle = await startMaterialize(client, input, [t.assetKey]);
          results.push(await awaitSummary(client, handle.workflowId, handle.firstExecutionRunId));
        }
      });
      print(results, opts.json, () => results.map((r) => summaryTable(r)).join('\n'));
      process.exitCode = results.every((r) => r.status === 'success') ? 0 : 1;
    });
}
