#!/usr/bin/env node
// dw: the command line of the platform (services, assets, materialize, quarantine).
import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { expandPlan, select, SelectionError } from './assets';
import { type BackfillPlan, BackfillPlanError, backfillPhases, planBackfill } from './activities/backfill/plan';
import { assess } from './activities/ledger/staleness';
import { listPartitions } from './activities/shared/partitions';
import { loadGraph, loadManifest, publishedRelations } from './activities/dbt/manifest';
import { RollbackError, rollbackModel } from './activities/dbt/rollback';
import { latestStatus } from './activities/ledger/ledger';
import { publicationStatus } from './activities/ledger/published';
import {
  JsonLines, LiveView, PARTITION_LEGEND, UsageError, backfillLine, backfillTable, count, ms, partitionGrid, summaryTable, table, tally,
} from './infra/cli-output';
import { loadConfig, EMBEDDED } from './infra/config';
import { createPool } from './infra/db';
import * as services from './infra/services';
import { prometheusStatus, startPrometheus, stopPrometheus } from './infra/services/prometheus';
import { DEFAULT_OVERLAP, createSchedule, listSchedules, parseOverlap, scheduleHandle } from './infra/schedules';
import {
  awaitBackfill, awaitSummary, backfillId, backfillProgress, backfillWorkflowId, connectClient, inputFingerprint, startBackfill, startMaterialize,
} from './infra/temporal-client';
import { type MaterializeInput, type RunSummary, SA_BACKFILL_ID } from './workflows/definitions';
import { checkKnownPartition } from './cli/known-partition';
import { registerLogs } from './cli/logs';
import { registerSla } from './cli/sla';
import { registerRepairs } from './cli/repairs';
import { registerQuarantine } from './cli/quarantine';
import { startGated } from './cli/run-gate';
import { checkSourceDir, resolveSource } from './cli/source';

const program = new Command('dw')
  .description('Asset orchestration for the Olist marketplace warehouse, on Temporal and PostgreSQL')
  .showHelpAfterError()
  .exitOverride();

const json = () => new Option('--json', 'machine-readable output');

function print(data: unknown, asJson: boolean, human: () => string): void {
  process.stdout.write(`${asJson ? JSON.stringify(data, null, 2) : human()}\n`);
}

async function withPool<T>(fn: (pool: ReturnType<typeof createPool>) => Promise<T>): Promise<T> {
  const pool = createPool(loadConfig().databaseUrl, 2);
  try {
    return await fn(pool);
  } finally {
    await pool.end();
  }
}

/** Runs `fn` with a Temporal client, after starting the services that are not up. */
async function withClient<T>(fn: (client: Awaited<ReturnType<typeof connectClient>>) => Promise<T>): Promise<T> {
  await services.up();
  const client = await connectClient();
  try {
    return await fn(client);
  } finally {
    await client.connection.close();
  }
}

program
  .command('up')
  .description('start Postgres, the Temporal dev server and the worker (what is missing), and apply migrations')
  .option('--monitoring', 'also start Prometheus scraping the worker, with the alert rules (data under .dw/prometheus)')
  .addOption(json())
  .action(async (opts) => {
    await services.up();
    if (opts.monitoring) await startPrometheus();
    const s = [...(await services.status()), await prometheusStatus()];
    print(s, opts.json, () => `${table(s.map((x) => [x.name, x.state, x.detail]), ['service', 'state', 'detail'])}\nTemporal UI: http://localhost:${EMBEDDED.temporalUiPort}`);
  });

program
  .command('down')
  .description('stop Prometheus, the worker, the Temporal dev server and Postgres (data under .dw is kept)')
  .action(async () => {
    await stopPrometheus();
    await services.down();
    process.stdout.write('services stopped\n');
  });

program
  .command('status')
  .description('the services, and every asset with its last materialization and row counts')
  .addOption(json())
  .action(async (opts) => {
    const svc = [...(await services.status()), await prometheusStatus()];
    const pgUp = svc[0]?.state !== 'down';
    const [assets, publications] = pgUp
      ? await withPool(async (pool) => [await latestStatus(pool), await publicationStatus(pool)] as const).catch(() => [[], new Map()] as const)
      : [[], new Map()] as const;
    const graph = await loadGraph(loadConfig().databaseUrl);
    const rows = graph.keys().flatMap((key) => {
      const found = assets.filter((a) => a.assetKey === key);
      return found.length ? found : [{ assetKey: key, partitionKey: '', status: 'never', current: false } as (typeof assets)[number]];
    });
    // dbt models: the version readers see (write-audit-publish) and, when the latest attempt did not publish, that candidate.
    const models = graph.keys().filter((k) => graph.get(k).kind === 'dbt').map((key) => ({ assetKey: key, ...publications.get(key) }));
    print({ services: svc, assets: rows, models }, opts.json, () =>
      [
        table(svc.map((x) => [x.name, x.state, x.detail]), ['service', 'state', 'detail']),
        '',
        table(
          rows.map((a) => [a.assetKey, a.partitionKey || '—', a.status === 'success' ? (a.current ? 'materialized' : 'materialized (superseded)') : a.status,
            count(a.rowsRead), count(a.rowsWritten), count(a.rowsQuarantined), count(a.rowsDeduplicated), ms(a.durationMs), a.at ?? '',
            a.blockedBy ? `blocked by ${a.blockedBy}` : a.errorMessage ?? '']),
          ['asset', 'partition', 'status', 'read', 'written', 'quarantined', 'deduplicated', 'time', 'at', 'detail'],
        ),
        '',
        table(
          models.map((m) => [m.assetKey, m.published ? `run ${m.published.runId} at ${m.published.at}` : 'never published', count(m.published?.rowCount ?? null),
            m.candidate ? `${m.candidate.status} in run ${m.candidate.runId} at ${m.candidate.at}: ${m.candidate.reason}` : '—']),
          ['dbt model', 'published version', 'rows', 'failed candidate'],
        ),
      ].join('\n'));
  });

program
  .command('rollback <model>')
  .description('publish a kept version of a dbt model (a table) again, in one transaction with its ledger record')
  .option('--version <id>', 'the kept version (dw_meta.published_versions id); default: the newest kept')
  .addOption(json())
  .action(async (model: string, opts) => {
    const { databaseUrl } = loadConfig();
    const relation = publishedRelations(await loadManifest(databaseUrl)).get(model);
    if (!relation) throw new UsageError(`'${model}' is not a dbt model (dbt/<model>)`);
    if (opts.version !== undefined && !/^\d+$/.test(opts.version)) throw new UsageError(`--version '${opts.version}' is not a version id`);
    const r = await withPool((pool) => rollbackModel(pool, relation, model, opts.version === undefined ? undefined : Number(opts.version)))
      .catch((err) => {
        throw err instanceof RollbackError ? new UsageError(err.message) : err;
      });
    print(r, opts.json, () => `${model}: version ${r.restored.id} (published by run ${r.restored.runId} at ${r.restored.publishedAt}) is published again`
      + `${r.retiredAs ? `; the version it replaced is kept as ${r.retiredAs}` : ''}`);
  });

program
  .command('assets')
  .description('the asset graph: each asset, its upstream assets and its last materialization')
  .addOption(json())
  .option('--select <expr>', 'only these assets', '*')
  .action(async (opts) => {
    const graph = await loadGraph(loadConfig().databaseUrl);
    const keys = select(graph, opts.select);
    const status = await withPool(latestStatus).catch(() => []);
    const rows = keys.map((k) => {
      const a = graph.get(k);
      const last = status.filter((s) => s.assetKey === k).at(-1);
      return { key: k, group: a.group, kind: a.kind, deps: a.deps, partitioned: a.partitioned, checks: a.checks.map((c) => c.name), last: last ?? null };
    });
    print(rows, opts.json, () =>
      table(rows.map((r) => [r.key, r.kind, r.deps.join(', ') || '—', r.partitioned ? 'monthly' : '—', r.last ? `${r.last.status} ${r.last.at} (${count(r.last.rowsWritten)} rows)` : 'never']),
        ['asset', 'kind', 'upstream', 'partitions', 'last materialization']));
  });

program
  .command('materialize')
  .description('materialize a selection of assets (default: all) from a source directory')
  .option('--select <expr>', "assets: key, +key, key+, raw/*, group:NAME, kind:NAME, tag:NAME, '*'", '*')
  .option('--source <dir>', 'folder with the nine Olist CSV files (default: the shipped sample)')
  .option('--partition <key>', 'partition (month YYYY-MM) for partitioned assets')
  .option('--max-parallel <n>', 'assets run at once', (v) => positiveInt(v, '--max-parallel'), 4)
  .option('--force', 're-materialize even when checkpoints are current')
  .option('--allow-shrink', 'publish new versions even when they shrink beyond their guard (an intended shrink)')
  .option('--retry-failed', 'rebuild dbt models whose last attempt failed although their inputs did not change')
  .option('--allow-new-partition', '--partition may name a month the staged data does not have yet')
  .addOption(json())
  .action(async (opts) => {
    const config = loadConfig();
    if (opts.partition) month(opts.partition, '--partition');
    const source = await resolveSource(opts.source);
    const graph = await loadGraph(loadConfig().databaseUrl);
    const keys = select(graph, opts.select);
    await withClient(async (client) => {
      const input: MaterializeInput = {
        selection: opts.select, partitionKey: opts.partition, sourceDir: source.dir, maxParallel: opts.maxParallel,
        force: opts.force, allowShrink: opts.allowShrink, retryFailed: opts.retryFailed,
      };
      input.inputFingerprint = inputFingerprint(input, source.fingerprint);
      const claim = { sourceDir: source.dir, sourceFingerprint: source.fingerprint, readsSource: keys.some((k) => graph.get(k).op.type === 'extract') };
      const handle = await withPool(async (pool) => {
        if (opts.partition && !opts.allowNewPartition) await checkKnownPartition(pool, opts.partition);
        return startGated(pool, client, config.taskQueue, claim, () => startMaterialize(client, input, keys, config.taskQueue, claim));
      });
      const view = process.stdout.isTTY && !opts.json ? new LiveView() : new JsonLines();
      if (!opts.json && process.stdout.isTTY) process.stdout.write(`run ${handle.workflowId} (Temporal UI: http://localhost:${EMBEDDED.temporalUiPort}/namespaces/${config.temporalNamespace}/workflows/${encodeURIComponent(handle.workflowId)})\n`);
      const summary = await awaitSummary(client, handle.workflowId, handle.firstExecutionRunId, (s) => view.render(s));
      report(summary, opts.json, view instanceof LiveView ? view : undefined);
      if (summary.status !== 'success' && !opts.json) process.stdout.write(`root cause log lines: dw logs ${handle.workflowId}\n`);
      process.exitCode = summary.status === 'success' ? 0 : 1;
    });
  });

function report(s: RunSummary, asJson: boolean, live?: LiveView): void {
  if (asJson) return print(s, true, () => '');
  if (live) live.render(s);
  else process.stdout.write(`${summaryTable(s)}\n`);
  const n = (state: string) => s.assets.filter((a) => a.state === state).length;
  process.stdout.write(`${s.status === 'success' ? 'success' : 'FAILED'}: ${n('materialized')} materialized, ${n('skipped')} current, ${n('failed')} failed, ${n('blocked')} blocked\n`);
  const pruned = s.prunedPartitions ?? [];
  if (pruned.length) process.stdout.write(`pruned ${pruned.length} month(s) the data no longer has: ${pruned.join(', ')} (removed rows in dw_meta.pruned_rows)\n`);
  for (const a of s.assets) for (const w of a.warnings ?? []) process.stdout.write(`warning: ${a.key}: ${w}\n`);
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

function month(v: string, name: string): string {
  if (!MONTH.test(v)) throw new UsageError(`${name} '${v}' is not a month YYYY-MM`);
  return v;
}

program
  .command('partitions')
  .description('each partitioned asset × month from the ledger: materialized, stale, failed, blocked or missing')
  .option('--select <expr>', 'only these assets', '*')
  .addOption(json())
  .action(async (opts) => {
    await services.up({ worker: false });
    const graph = await loadGraph(loadConfig().databaseUrl);
    const keys = select(graph, opts.select).filter((k) => graph.get(k).partitioned);
    if (keys.length === 0) throw new UsageError(`'${opts.select}' selects no partitioned asset: the partitioned ones are ${graph.keys().filter((k) => graph.get(k).partitioned).join(', ')}`);
    const states = await withPool(async (pool) => assess(pool, graph, expandPlan(graph, keys, await listPartitions(pool))));
    const all = [...states.values()];
    const problems = all.filter((s) => s.status !== 'materialized');
    const cells = new Map(keys.map((k) => [k, new Map(all.filter((s) => s.assetKey === k).map((s) => [s.partitionKey, s.status]))]));
    print({ assets: keys.map((k) => ({ key: k, partitions: Object.fromEntries(cells.get(k) ?? []) })), problems }, opts.json, () => [
      PARTITION_LEGEND,
      partitionGrid(keys.map((k) => ({ key: k, cells: cells.get(k) ?? new Map() }))),
      '',
      ...keys.map((k) => `${k}: ${tally(cells.get(k)?.values() ?? [])}`),
      ...(problems.length ? ['', table(problems.slice(0, 30).map((s) => [s.node, s.status, s.reason]), ['asset partition', 'status', 'reason'])] : []),
      ...(problems.length > 30 ? [`… ${problems.length - 30} more (--json lists all)`] : []),
    ].join('\n'));
  });

const backfill = program
  .command('backfill')
  .description('materialize a range of monthly partitions: one child run per partition that is not current')
  .option('--from <month>', 'first month YYYY-MM (default: the first in the data)', (v) => month(v, '--from'))
  .option('--to <month>', 'last month YYYY-MM (default: the last in the data)', (v) => month(v, '--to'))
  .option('--select <expr>', 'assets (the partitioned ones run per month; unpartitioned upstream before, downstream after)', '*')
  .option('--source <dir>', 'folder with the nine Olist CSV files (default: the shipped sample)')
  .option('--max-parallel <n>', 'partitions at once', (v) => positiveInt(v, '--max-parallel'), 4)
  .option('--force', 're-materialize every partition even when current')
  .option('--allow-shrink', 'publish new versions even when they shrink beyond their guard (an intended shrink)')
  .option('--retry-failed', 'rebuild dbt models whose last attempt failed although their inputs did not change')
  .option('--wait', 'follow the backfill to its end; exit 0 only when every partition succeeded')
  .option('--plan', 'list what would run and what is current, with predicted durations; run nothing')
  .addOption(json())
  .action(async (opts) => {
    const config = loadConfig();
    if (opts.from && opts.to && opts.from > opts.to) throw new UsageError(`--from ${opts.from} is after --to ${opts.to}`);
    const graph = await loadGraph(config.databaseUrl);
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
      const plan = await withPool((pool) => planBackfill(pool, graph, { selection: opts.select, assetKeys, from: opts.from, to: opts.to, sourceDir }));
      return print({ backfillId: id, ...plan }, opts.json, () => planReport(plan, opts.maxParallel));
    }
    await withClient(async (client) => {
      const claim = { sourceDir, sourceFingerprint: source.fingerprint, readsSource: assetKeys.some((k) => graph.get(k).op.type === 'extract') };
      const input = {
        backfillId: id, selection: opts.select, assetKeys, from: opts.from, to: opts.to, sourceDir, maxParallel: opts.maxParallel,
        force: opts.force, allowShrink: opts.allowShrink, retryFailed: opts.retryFailed,
      };
      const handle = await withPool((pool) => startGated(pool, client, config.taskQueue, claim, () => startBackfill(client, input, config.taskQueue, claim)));
      const ui = `http://localhost:${EMBEDDED.temporalUiPort}/namespaces/${config.temporalNamespace}/workflows/${encodeURIComponent(handle.workflowId)}`;
      if (!opts.wait) {
        return print({ backfillId: id, workflowId: handle.workflowId, runId: handle.firstExecutionRunId }, opts.json,
          () => `backfill ${id} started (Temporal UI: ${ui})\nfollow it with: dw backfill status ${id}`);
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
      print(result, opts.json, () => `${backfillTable(result)}\n${result.status === 'success' ? 'success' : 'FAILED'}: ${tally(result.partitions.map((x) => x.state))}`);
      process.exitCode = result.status === 'success' ? 0 : 1;
    });
  });

backfill
  .command('status')
  .argument('[id]', 'backfill id (bf-…); without it, the recent backfills')
  .description('a backfill\'s progress: done, running, failed and blocked partitions, with the root cause of each failure')
  .addOption(json())
  .action(async (id: string | undefined, _opts, cmd: Command) => {
    // --json may land on `backfill` itself (it has the same option).
    const opts = cmd.optsWithGlobals();
    await withClient(async (client) => {
      if (!id) {
        const rows: { backfillId: string; status: string; started: string; selection: unknown; from: unknown; to: unknown }[] = [];
        for await (const w of client.workflow.list({ query: `WorkflowType = 'backfillWorkflow' AND TaskQueue = '${loadConfig().taskQueue}'`, pageSize: 20 })) {
          rows.push({ backfillId: String(w.typedSearchAttributes.get(SA_BACKFILL_ID) ?? w.workflowId), status: w.status.name, started: w.startTime.toISOString(), selection: w.memo?.selection, from: w.memo?.from, to: w.memo?.to });
          if (rows.length >= 20) break;
        }
        return print(rows, opts.json, () => rows.length ? table(rows.map((r) => [r.backfillId, r.status, r.started, String(r.selection), String(r.from ?? 'first'), String(r.to ?? 'last')]), ['backfill', 'status', 'started', 'selection', 'from', 'to']) : 'no backfills yet');
      }
      const progress = await backfillProgress(client, backfillWorkflowId(id));
      if (!progress) throw new UsageError(`no backfill '${id}': dw backfill status lists the recent ones`, 'NOT_FOUND');
      print(progress, opts.json, () => `${backfillTable(progress)}\n${progress.status}: ${tally(progress.partitions.map((x) => x.state))} (phase ${progress.phase}, ${progress.runs} workflow run(s))`);
      process.exitCode = progress.status === 'failed' ? 1 : 0;
    });
  });

backfill
  .command('cancel')
  .argument('<id>', 'backfill id (bf-…)')
  .description('cancel a running backfill: partitions in flight are cancelled, finished ones stay materialized')
  .action(async (id: string) => {
    await withClient(async (client) => {
      const handle = client.workflow.getHandle(backfillWorkflowId(id));
      const d = await handle.describe().catch(() => undefined);
      if (!d) throw new UsageError(`no backfill '${id}': dw backfill status lists the recent ones`, 'NOT_FOUND');
      if (d.status.name !== 'RUNNING') throw new UsageError(`backfill ${id} is not running (${d.status.name.toLowerCase()})`);
      await handle.cancel();
      process.stdout.write(`backfill ${id}: cancellation requested; the same dw backfill command resumes it later\n`);
    });
  });

function planReport(plan: BackfillPlan, maxParallel: number): string {
  // The asset partitions that are the reason to run; those that only follow them are counted.
  const line = (n: { toRun: { node: string; status: string; reason?: string }[] }) => {
    const roots = n.toRun.filter((s) => !s.reason?.startsWith('upstream '));
    const follow = n.toRun.length - roots.length;
    return [...roots.map((s) => `${s.node} (${s.status}${s.reason ? `: ${s.reason}` : ''})`), ...(follow ? [`+${follow} downstream of them`] : [])].join('; ');
  };
  const running = plan.partitions.filter((p) => p.toRun.length);
  const partitionsMs = running.reduce((sum, p) => sum + p.predictedMs, 0) / Math.max(1, Math.min(maxParallel, running.length));
  const total = plan.upstream.predictedMs + partitionsMs + plan.downstream.predictedMs;
  return [
    table([
      ...(plan.upstream.keys.length ? [['upstream', plan.upstream.toRun.length ? 'run' : 'current', ms(plan.upstream.predictedMs || undefined), line(plan.upstream)]] : []),
      ...plan.partitions.map((p) => [p.partitionKey, p.toRun.length ? 'run' : 'current', ms(p.predictedMs || undefined), line(p)]),
      ...(plan.downstream.keys.length ? [['downstream', plan.downstream.toRun.length ? 'run' : 'current (unless a partition runs)', ms(plan.downstream.predictedMs || undefined), line(plan.downstream)]] : []),
    ], ['partition', 'plan', 'predicted', 'asset partitions to run']),
    `${running.length} partition(s) would run, ${plan.partitions.length - running.length} current; predicted ${ms(Math.round(total))} at --max-parallel ${maxParallel}${plan.unknownPredictions ? ` (${plan.unknownPredictions} without history, not counted)` : ''}`,
    ...(plan.upstream.toRun.length
      ? [plan.partitions.length ? 'the upstream runs first: partitions are assessed again after it, so fewer may run' : 'the months are known once the upstream (staging) has run: it runs first']
      : []),
  ].join('\n');
}

const schedule = program.command('schedule').description('materialize runs on a schedule (Temporal Schedules; overlapping fires are skipped)');


schedule
  .command('create')
  .argument('<name>', 'schedule name (letters, digits, . _ -)')
  .description('materialize a selection on a cron or an interval')
  .option('--cron <expr>', "cron expression, e.g. '0 3 * * *' (03:00 daily)")
  .option('--every <duration>', "fixed interval, e.g. '6h', '30m', '10s'")
  .option('--timezone <tz>', 'time zone of the cron expression (default UTC)')
  .option('--select <expr>', 'assets to materialize', '*')
  .option('--source <dir>', 'folder with the nine Olist CSV files (default: the shipped sample)')
  .option('--overlap <policy>', `when a fire comes while the last run still runs: ${'skip (default), buffer_one, buffer_all, cancel_other, terminate_other, allow_all'}`, parseOverlap, DEFAULT_OVERLAP)
  .option('--paused', 'create it paused')
  .option('--note <text>', 'a note shown with the schedule')
  .addOption(json())
  .action(async (name: string, opts) => {
    const config = loadConfig();
    const graph = await loadGraph(config.databaseUrl);
    const assetKeys = select(graph, opts.select);
    const id = await withClient((client) => createSchedule(client, {
      name, cron: opts.cron, every: opts.every, timezone: opts.timezone, assetKeys, overlap: opts.overlap, paused: opts.paused, note: opts.note,
      input: { selection: opts.select, sourceDir: checkSourceDir(path.resolve(opts.source ?? config.sourceDir)) },
    }));
    print({ schedule: name, scheduleId: id }, opts.json, () => `schedule ${name} created (${opts.cron ? `cron ${opts.cron}` : `every ${opts.every}`}, overlap ${opts.overlap}); its runs are in the Temporal UI under TemporalScheduledById = '${id}'`);
  });

schedule
  .command('list')
  .description('the schedules: spec, selection, paused, next and last runs')
  .addOption(json())
  .action(async (opts) => {
    const rows = await withClient((client) => listSchedules(client));
    print(rows, opts.json, () => rows.length
      ? table(rows.map((r) => [r.name, r.spec, r.selection, r.paused ? `paused${r.note ? ` (${r.note})` : ''}` : 'active', r.nextRuns[0] ?? '', r.lastRuns.at(-1)?.at ?? 'never']),
        ['schedule', 'spec', 'selection', 'state', 'next run', 'last run'])
      : 'no schedules: dw schedule create NAME --cron EXPR');
  });

for (const [verb, description] of [['pause', 'stop firing until unpaused'], ['unpause', 'fire again'], ['delete', 'remove the schedule (its past runs stay)'], ['trigger', 'fire once now']] as const) {
  schedule
    .command(verb)
    .argument('<name>', 'schedule name')
    .option('--note <text>', 'why (shown by dw schedule list)')
    .description(description)
    .action(async (name: string, opts) => {
      await withClient(async (client) => {
        const handle = await scheduleHandle(client, name);
        if (verb === 'pause') await handle.pause(opts.note ?? 'paused with dw schedule pause');
        else if (verb === 'unpause') await handle.unpause(opts.note ?? 'unpaused with dw schedule unpause');
        else if (verb === 'delete') await handle.delete();
        else await handle.trigger();
      });
      process.stdout.write(`schedule ${name}: ${verb === 'trigger' ? 'triggered' : `${verb}d`}\n`);
    });
}

const quarantine = registerQuarantine(program);

quarantine
  .command('replay')
  .description('re-run validation for the partitions that have quarantined rows (after a rule or data fix)')
  .option('--rule <code>', 'only partitions with rows under this rule code')
  .option('--source <dir>', 'folder with the nine Olist CSV files (default: the shipped sample)')
  .addOption(json())
  .action(async (opts) => {
    const targets = await withPool(async (pool) => (await pool.query(
      `SELECT DISTINCT asset_key, partition_key FROM quarantine.rows
        WHERE asset_key LIKE 'domain/%' AND ($1::text IS NULL OR rule_code = $1) ORDER BY 1, 2`, [opts.rule ?? null])).rows);
    if (targets.length === 0) return print([], opts.json, () => 'nothing to replay: no quarantined domain rows match');
    const results: RunSummary[] = [];
    const sourceDir = checkSourceDir(path.resolve(opts.source ?? loadConfig().sourceDir));
    await withClient(async (client) => {
      for (const t of targets) {
        const input = { selection: t.asset_key, partitionKey: t.partition_key || undefined, sourceDir, force: true };
        const handle = await startMaterialize(client, input, [t.asset_key]);
        results.push(await awaitSummary(client, handle.workflowId, handle.firstExecutionRunId));
      }
    });
    print(results, opts.json, () => results.map((r) => summaryTable(r)).join('\n'));
    process.exitCode = results.every((r) => r.status === 'success') ? 0 : 1;
  });

program
  .command('generate')
  .description('write synthetic Olist files (all nine, original format) at any scale; scale 1 = the full data set')
  .requiredOption('--out <dir>', 'folder to write the files into')
  .option('--scale <f>', 'size relative to the full data set (99,441 orders at 1)', (v) => positiveNumber(v, '--scale'), 1)
  .option('--seed <s>', 'same seed, same bytes', '42')
  .option('--faults <rate>', 'inject known bad rows at this rate per order, with a manifest', (v) => positiveNumber(v, '--faults'))
  .addOption(json())
  .action(async (opts) => {
    const { generate } = await import('./infra/generator');
    const started = Date.now();
    const tty = process.stderr.isTTY && !opts.json;
    const report = await generate({
      scale: opts.scale, seed: opts.seed, outDir: path.resolve(opts.out), faults: opts.faults,
      onProgress: (done, total) => {
        if (!tty) return;
        const elapsed = (Date.now() - started) / 1000;
        const eta = done > 0 ? Math.max(0, (elapsed / done) * (total - done)) : 0;
        process.stderr.write(`\r${count(done)} / ${count(total)} rows · ${elapsed.toFixed(1)} s · ETA ${eta.toFixed(0)} s   `);
      },
    });
    if (tty) process.stderr.write('\n');
    print(report, opts.json, () => `${table(Object.values(report.files).map((f) => [f.file, count(f.rows)]), ['file', 'rows'])}\n${count(report.totalRows)} rows in ${ms(report.elapsedMs)} → ${report.outDir}${report.faults.injected ? ` (${report.faults.injected} faults, see fault-manifest.json)` : ''}`);
  });

program
  .command('worker')
  .description('run the worker in the foreground')
  .action(async () => {
    await services.up({ worker: false });
    await (require('./worker') as typeof import('./worker')).main();
  });

registerLogs(program);
registerSla(program);
registerRepairs(program);

function positiveNumber(v: string, name: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${name} must be a positive number, got '${v}'`);
  return n;
}

function positiveInt(v: string, name: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${name} must be a positive whole number, got '${v}'`);
  return n;
}

export async function main(argv = process.argv): Promise<number> {
  try {
    await program.parseAsync(argv);
    return Number(process.exitCode ?? 0);
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof UsageError || err instanceof SelectionError) {
      process.stderr.write(`dw: ${err.message}\n`);
      return 2;
    }
    process.stderr.write(`dw: ${(err as Error).message}\n`);
    if (process.env.DW_DEBUG) process.stderr.write(`${(err as Error).stack}\n`);
    return 1;
  }
}

if (require.main === module) {
  void main().then((code) => process.exit(code));
}
