// `dw materialize`: one run of a selection (and a partition) from a source directory, followed live to its summary.
import type { Command } from 'commander';
import { select } from '../assets';
import { loadConfig } from '../infra/config';
import type { MaterializeInput, RunSummary } from '../workflows/definitions';
import { commandGraph, jsonOption, month, positiveInt, print, sourceOption, withClient, withPool } from './command';
import { checkKnownPartition } from './known-partition';
import { JsonLines, LiveView, summaryTable } from './output';
import { startGated } from './run-gate';
import { resolveSource } from './source';
import { awaitSummary, inputFingerprint, startMaterialize, temporalUi } from './temporal-client';

export function registerMaterialize(program: Command): void {
  program
    .command('materialize')
    .description('materialize a selection of assets (default: all) from a source directory')
    .option('--select <expr>', "assets: key, +key, key+, raw/*, group:NAME, kind:NAME, tag:NAME, '*'", '*')
    .addOption(sourceOption())
    // Checked while parsing, like backfill's months: a malformed month is refused before anything starts.
    .option('--partition <key>', 'partition (month YYYY-MM) for partitioned assets', (v) => month(v, '--partition'))
    .option('--max-parallel <n>', 'assets run at once', (v) => positiveInt(v, '--max-parallel'), 4)
    .option('--force', 're-materialize even when checkpoints are current')
    .option('--allow-shrink', 'publish new versions even when they shrink beyond their guard (an intended shrink)')
    .option('--retry-failed', 'rebuild dbt models whose last attempt failed although their inputs did not change')
    .option('--allow-new-partition', '--partition may name a month the staged data does not have yet')
    .addOption(jsonOption())
    .action(async (opts) => {
      const config = loadConfig();
      const source = await resolveSource(opts.source);
      const graph = await commandGraph();
      const keys = select(graph, opts.select);
      await withClient(async (client) => {
        const input: MaterializeInput = {
          selection: opts.select,
          partitionKey: opts.partition,
          sourceDir: source.dir,
          maxParallel: opts.maxParallel,
          force: opts.force,
          allowShrink: opts.allowShrink,
          retryFailed: opts.retryFailed,
        };
        input.inputFingerprint = inputFingerprint(input, source.fingerprint);
        const claim = {
          sourceDir: source.dir,
          sourceFingerprint: source.fingerprint,
          readsSource: keys.some((k) => graph.get(k).op.type === 'extract'),
        };
        const handle = await withPool(async (pool) => {
          if (opts.partition && !opts.allowNewPartition) await checkKnownPartition(pool, opts.partition);
          return startGated(pool, client, config.taskQueue, claim, () => startMaterialize(client, input, keys, config.taskQueue, claim));
        });
        const view = process.stdout.isTTY && !opts.json ? new LiveView() : new JsonLines();
        if (!opts.json && process.stdout.isTTY)
          process.stdout.write(`run ${handle.workflowId} (Temporal UI: ${temporalUi(handle.workflowId)})\n`);
        const summary = await awaitSummary(client, handle.workflowId, handle.firstExecutionRunId, (s) => view.render(s));
        report(summary, opts.json, view instanceof LiveView ? view : undefined);
        if (summary.status !== 'success' && !opts.json) process.stdout.write(`root cause log lines: dw logs ${handle.workflowId}\n`);
        process.exitCode = summary.status === 'success' ? 0 : 1;
      });
    });
}

function report(s: RunSummary, asJson: boolean, live?: LiveView): void {
  if (asJson) return print(s, true, () => '');
  if (live) live.render(s);
  else process.stdout.write(`${summaryTable(s)}\n`);
  const n = (state: string) => s.assets.filter((a) => a.state === state).length;
  process.stdout.write(
    `${s.status === 'success' ? 'success' : 'FAILED'}: ${n('materialized')} materialized, ${n('skipped')} current, ${n('failed')} failed, ${n('blocked')} blocked\n`,
  );
  const pruned = s.prunedPartitions ?? [];
  if (pruned.length)
    process.stdout.write(
      `pruned ${pruned.length} month(s) the data no longer has: ${pruned.join(', ')} (removed rows in dw_meta.pruned_rows)\n`,
    );
  for (const a of s.assets) for (const w of a.warnings ?? []) process.stdout.write(`warning: ${a.key}: ${w}\n`);
}
