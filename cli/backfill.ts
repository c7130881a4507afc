// `dw backfill`: a range of monthly partitions, one child run per partition that is not current; --plan, --wait.
import type { Command } from 'commander';
import { planBackfill } from '../activities/backfill/plan';
import { BackfillPlanError, backfillPhases, select } from '../assets';
import { loadConfig } from '../infra/config';
import * as services from '../infra/services';
import { registerBackfillStatus } from './backfill-status';
import { planReport } from './backfill-plan';
import { commandGraph, jsonOption, month, positiveInt, print, sourceOption, withClient, withPool } from './command';
import { UsageError, backfillLine, backfillTable, tally } from './output';
import { startGated } from './run-gate';
import { resolveSource } from './source';
import { awaitBackfill, backfillId, startBackfill, temporalUi } from './temporal-client';

export function registerBackfill(program: Command): void {
  const backfill = program
    .command('backfill')
    .description('materialize a range of monthly partitions: one child run per partition that is not current')
    .option('--from <month>', 'first month YYYY-MM (default: the first in the data)', (v) => month(v, '--from'))
    .option('--to <month>', 'last month YYYY-MM (default: the last in the data)', (v) => month(v, '--to'))
    .option('--select <expr>', 'assets (the partitioned ones run per month; unpartitioned upstream before, downstream after)', '*')
    .addOption(sourceOption())
    .option('--max-parallel <n>', 'partitions at once', (v) => positiveInt(v, '--max-parallel'), 4)
    .option('--force', 're-materialize every partition even when current')
    .option('--allow-shrink', 'publish new versions even when they shrink beyond their guard (an intended shrink)')
    .option('--retry-failed', 'rebuild dbt models whose last attempt failed although their inputs did not change')
    .option('--wait', 'follow the backfill to its end; exit 0 only when every partition succeeded')
    .option('--plan', 'list what would run and what is current, with predicted durations; run nothing')
    .addOption(jsonOption())
    .action(async (opts) => {
      const config = loadConfig();
      if (opts.from && opts.to && opts.from > opts.to) throw new UsageError(`--from ${opts.from} is after --to ${opts.to}`);
      const graph = await commandGraph();
      const assetKeys = select(graph, opts.select);
      try {
        backfillPhases(graph, assetKeys);
      } catch (err) {
        if (err instanceof BackfillPlanError) throw new UsageError(err.message);
        throw err;
      }
      const source = await resolveSource(opts.source);
      const sourceDir = source.dir;
      const id = backfillId(opts.select, opts.from, opts.to);
      if (opts.plan) {
        await services.up({ worker: false });
        const plan = await withPool((pool) =>
          planBackfill(pool, graph, { selection: opts.select, assetKeys, from: opts.from, to: opts.to, sourceDir }),
        );
        return print({ backfillId: id, ...plan }, opts.json, () => planReport(plan, opts.maxParallel));
      }
      await withClient(async (client) => {
        const claim = {
          sourceDir,
          sourceFingerprint: source.fingerprint,
          readsSource: assetKeys.some((k) => graph.get(k).op.type === 'extract'),
        };
        const input = {
          backfillId: id,
          selection: opts.select,
          assetKeys,
          from: opts.from,
          to: opts.to,
          sourceDir,
          maxParallel: opts.maxParallel,
          force: opts.force,
          allowShrink: opts.allowShrink,
          retryFailed: opts.retryFailed,
        };
        const handle = await withPool((pool) =>
          startGated(pool, client, config.taskQueue, claim, () => startBackfill(client, input, config.taskQueue, claim)),
        );
        const ui = temporalUi(handle.workflowId);
        if (!opts.wait) {
          return print(
            { backfillId: id, workflowId: handle.workflowId, runId: handle.firstExecutionRunId },
            opts.json,
            () => `backfill ${id} started (Temporal UI: ${ui})\nfollow it with: dw backfill status ${id}`,
          );
        }
        if (!opts.json) process.stderr.write(`backfill ${id} (Temporal UI: ${ui})\n`);
        const started = Date.now();
        const tty = process.stderr.isTTY && !opts.json;
        const seen = new Map<string, string>();
        const result = await awaitBackfill(client, handle.workflowId, (p) => {
          if (tty) return void process.stderr.write(`\r\x1b[K${backfillLine(p, (Date.now() - started) / 1000)}`);
          for (const x of p.partitions) {
            if (seen.get(x.partitionKey) === x.state || x.state === 'pending') continue;
            seen.set(x.partitionKey, x.state);
            process.stderr.write(`${JSON.stringify({ ts: new Date().toISOString(), event: 'partition', backfillId: id, ...x })}\n`);
          }
        });
        if (tty) process.stderr.write('\n');
        print(
          result,
          opts.json,
          () =>
            `${backfillTable(result)}\n${result.status === 'success' ? 'success' : 'FAILED'}: ${tally(result.partitions.map((x) => x.state))}`,
        );
        process.exitCode = result.status === 'success' ? 0 : 1;
      });
    });
  registerBackfillStatus(backfill);
}
