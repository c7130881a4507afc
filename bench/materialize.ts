// One materialize run through Temporal on the benchmark's task queue, timed, with per-stage spans and the ledger rows it wrote.
import os from 'node:os';
import type { Client } from '@temporalio/client';
import { type AssetGraph, type AssetKind, select, splitNodeKey } from '../assets';
import type { Pool } from '../infra/db';
import { awaitSummary, startMaterialize } from '../cli/temporal-client';
import type { RunSummary } from '../workflows/definitions';
import { progress } from './util';

export interface LedgerRow {
  assetKey: string;
  partitionKey: string;
  kind: AssetKind | 'other';
  status: string;
  rowsRead: number;
  rowsWritten: number;
  rowsQuarantined: number;
  durationMs: number;
}

export interface StageFigures {
  /** Asset partitions materialized in this stage. */
  nodes: number;
  /** Sum of the ledger's duration_ms over the stage's assets (busy time; stages and assets overlap). */
  ledgerMs: number;
  rowsRead: number;
  rowsWritten: number;
  rowsQuarantined: number;
  /** From the first asset seen running to the last seen finished (run progress polled every 250 ms). */
  spanMs: number | null;
}

export interface RunResult {
  selection: string;
  force: boolean;
  workflowId: string;
  runId: string;
  wallMs: number;
  status: RunSummary['status'];
  nodes: number;
  nodesByKind: Partial<Record<AssetKind, number>>;
  outcomes: Record<string, number>;
  rootCauses: string[];
  /** The activities' own time as they report it (durationMs of each asset partition, dbt models excluded): the rest of the wall time is orchestration. */
  activityMs: { sum: number; median: number; count: number };
  stages: Partial<Record<AssetKind, StageFigures>>;
  ledger: LedgerRow[];
  loadAvg: number[];
}

export interface RunContext {
  client: Client;
  pool: Pool;
  graph: AssetGraph;
  taskQueue: string;
  sourceDir: string;
}

/**
 * Starts the run and waits for it. With `track`, the run's progress query is polled (every 250 ms, by the
 * client library) to time each stage and to print progress; without it nothing but the result is awaited.
 */
export async function materialize(
  ctx: RunContext,
  selection: string,
  opts: { force?: boolean; track?: boolean; label: string },
): Promise<RunResult> {
  const keys = select(ctx.graph, selection);
  const loadAvg = os.loadavg();
  const before = Number((await ctx.pool.query(`SELECT coalesce(max(id), 0) AS id FROM dw_meta.materializations`)).rows[0].id);
  const firstRunning = new Map<string, number>();
  const ended = new Map<string, number>();
  let lastPrint = 0;
  const started = performance.now();
  const onProgress = (s: RunSummary) => {
    const now = performance.now() - started;
    for (const a of s.assets) {
      if (a.state === 'running' && !firstRunning.has(a.key)) firstRunning.set(a.key, now);
      if (['materialized', 'skipped', 'failed', 'blocked'].includes(a.state) && !ended.has(a.key)) {
        ended.set(a.key, now);
        if (!firstRunning.has(a.key)) firstRunning.set(a.key, now);
      }
    }
    if (now - lastPrint >= 5_000) {
      lastPrint = now;
      const done = s.assets.filter((a) => !['pending', 'running'].includes(a.state)).length;
      const running = s.assets.filter((a) => a.state === 'running').map((a) => a.key);
      progress(
        `  ${opts.label}: ${(now / 1000).toFixed(0)} s, ${done}/${s.assets.length || '?'} done${running.length ? `, running ${running.slice(0, 4).join(', ')}${running.length > 4 ? ' …' : ''}` : ''}`,
      );
    }
  };
  const handle = await startMaterialize(
    ctx.client,
    { selection, sourceDir: ctx.sourceDir, force: opts.force, maxParallel: 4 },
    keys,
    ctx.taskQueue,
  );
  const summary = await awaitSummary(ctx.client, handle.workflowId, handle.firstExecutionRunId, opts.track ? onProgress : undefined);
  const wallMs = performance.now() - started;

  const r = await ctx.pool.query(
    `SELECT asset_key, partition_key, status, coalesce(rows_read, 0) AS rows_read, coalesce(rows_written, 0) AS rows_written,
            coalesce(rows_quarantined, 0) AS rows_quarantined, coalesce(duration_ms, 0) AS duration_ms
       FROM dw_meta.materializations WHERE id > $1 ORDER BY id`,
    [before],
  );
  const kindOf = (key: string): AssetKind | 'other' => (ctx.graph.has(key) ? ctx.graph.get(key).kind : 'other');
  const ledger: LedgerRow[] = r.rows.map((row) => ({
    assetKey: row.asset_key,
    partitionKey: row.partition_key,
    kind: kindOf(row.asset_key),
    status: row.status,
    rowsRead: Number(row.rows_read),
    rowsWritten: Number(row.rows_written),
    rowsQuarantined: Number(row.rows_quarantined),
    durationMs: Number(row.duration_ms),
  }));
  const stages: Partial<Record<AssetKind, StageFigures>> = {};
  for (const row of ledger) {
    if (row.kind === 'other' || row.status !== 'success') continue;
    const s = (stages[row.kind] ??= { nodes: 0, ledgerMs: 0, rowsRead: 0, rowsWritten: 0, rowsQuarantined: 0, spanMs: null });
    s.nodes++;
    s.ledgerMs += row.durationMs;
    s.rowsRead += row.rowsRead;
    s.rowsWritten += row.rowsWritten;
    s.rowsQuarantined += row.rowsQuarantined;
  }
  if (opts.track) {
    for (const [kind, s] of Object.entries(stages) as Array<[AssetKind, StageFigures]>) {
      const nodes = summary.assets.map((a) => a.key).filter((k) => kindOf(splitNodeKey(k).assetKey) === kind);
      const starts = nodes.map((k) => firstRunning.get(k)).filter((v): v is number => v !== undefined);
      const ends = nodes.map((k) => ended.get(k) ?? wallMs);
      if (starts.length) s.spanMs = Math.max(...ends) - Math.min(...starts);
    }
  }
  const outcomes: Record<string, number> = {};
  const nodesByKind: Partial<Record<AssetKind, number>> = {};
  for (const a of summary.assets) {
    outcomes[a.state] = (outcomes[a.state] ?? 0) + 1;
    const kind = kindOf(splitNodeKey(a.key).assetKey);
    if (kind !== 'other') nodesByKind[kind] = (nodesByKind[kind] ?? 0) + 1;
  }
  if (summary.status !== 'success') {
    const failed = summary.assets.filter((a) => a.state === 'failed').map((a) => `${a.key}: ${a.error?.code} ${a.error?.message}`);
    progress(`  ${opts.label}: run FAILED: ${failed.slice(0, 3).join('; ')}`);
  }
  const own = summary.assets
    .filter((a) => kindOf(splitNodeKey(a.key).assetKey) !== 'dbt' && a.durationMs !== undefined)
    .map((a) => a.durationMs as number)
    .sort((a, b) => a - b);
  const activityMs = { sum: own.reduce((a, b) => a + b, 0), median: own[Math.floor(own.length / 2)] ?? 0, count: own.length };
  return {
    selection,
    force: !!opts.force,
    workflowId: handle.workflowId,
    runId: handle.firstExecutionRunId,
    wallMs,
    status: summary.status,
    nodes: summary.assets.length,
    nodesByKind,
    outcomes,
    rootCauses: summary.rootCauses,
    activityMs,
    stages,
    ledger,
    loadAvg,
  };
}

/** EventType values of Temporal's history API (temporal.api.enums.v1.EventType). */
const ACTIVITY_TASK_SCHEDULED = 10;
const ACTIVITY_TASK_COMPLETED = 12;

/**
 * From the run's Temporal history: the median time between consecutive activity completions (in a chain, one
 * asset's full round trip: workflow task, activity dispatch, activity, completion) and the span from the first
 * materializeAsset scheduled to the last completed.
 */
export async function historyTiming(
  client: Client,
  workflowId: string,
  runId: string,
): Promise<{ medianStepMs: number; activitySpanMs: number; events: number }> {
  const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
  const events = history.events ?? [];
  const at = (e: (typeof events)[number]) => Number(e.eventTime?.seconds ?? 0) * 1000 + Number(e.eventTime?.nanos ?? 0) / 1e6;
  const scheduled = new Map<string, string>();
  const completions: number[] = [];
  let firstScheduled = Infinity;
  for (const e of events) {
    const type = Number(e.eventType);
    if (type === ACTIVITY_TASK_SCHEDULED) {
      const name = e.activityTaskScheduledEventAttributes?.activityType?.name ?? '';
      scheduled.set(String(e.eventId), name);
      if (name === 'materializeAsset') firstScheduled = Math.min(firstScheduled, at(e));
    } else if (type === ACTIVITY_TASK_COMPLETED) {
      if (scheduled.get(String(e.activityTaskCompletedEventAttributes?.scheduledEventId)) === 'materializeAsset') completions.push(at(e));
    }
  }
  const steps = completions
    .slice(1)
    .map((t, i) => t - (completions[i] as number))
    .sort((a, b) => a - b);
  return {
    medianStepMs: steps[Math.floor(steps.length / 2)] ?? NaN,
    activitySpanMs: completions.length ? (completions[completions.length - 1] as number) - firstScheduled : NaN,
    events: events.length,
  };
}
