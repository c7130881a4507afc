// The worker's Prometheus metrics: ledger figures read from dw_meta at scrape time, activity durations observed in-process.
import { Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Pool } from './db';
import { logger } from './logger';
import { LedgerCache, type LedgerCacheOptions } from './ledger-cache';
import { type LedgerSnapshot, readLedger } from './metrics-ledger';

const ROW_KINDS = ['read', 'written', 'quarantined', 'deduplicated'] as const;
const partitionKind = (partitioned: boolean) => (partitioned ? 'monthly' : 'none');

export interface Metrics {
  registry: Registry;
  /** Duration of every activity the worker ran, by activity type and outcome (completed | failed). */
  activityDuration: Histogram<'activity' | 'outcome'>;
  /** Duration of each asset's materializeAsset activity, by asset and the activity's outcome. */
  materializationDuration: Histogram<'asset' | 'outcome'>;
  /** When the ledger gauges read dw_meta again; the activity interceptor tells it when activities start and finish. */
  ledger: LedgerCache<LedgerSnapshot | undefined>;
}

/**
 * The registry of one worker: ledger gauges (read from dw_meta at scrape time, at most every 30 s while activities
 * run, see LedgerCache) and histograms.
 * `freshnessSlas`: each asset's freshness SLA in seconds (assets/freshness.ts), exported as a gauge beside its freshness.
 */
export function createMetrics(pool: Pool, freshnessSlas: ReadonlyMap<string, number> = new Map(), opts: LedgerCacheOptions = {}): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'dw_worker_' });
  const log = logger('metrics');
  const ledger = new LedgerCache<LedgerSnapshot | undefined>(
    () =>
      readLedger(pool).catch((err: Error) => {
        log.warn('could not read the ledger for metrics', { error: err.message });
        return undefined;
      }),
    opts,
  );
  const snapshot = () => ledger.get();
  const gauge = <L extends string>(name: string, help: string, labelNames: L[], fill: (g: Gauge<L>, s: LedgerSnapshot) => void) =>
    new Gauge<L>({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        const s = await snapshot();
        this.reset();
        if (s) fill(this, s);
      },
    });

  new Gauge({
    name: 'dw_ledger_up',
    help: 'whether this scrape could read the ledger (dw_meta): 1 yes, 0 no',
    registers: [registry],
    async collect() {
      this.set((await snapshot()) ? 1 : 0);
    },
  });
  gauge(
    'dw_materializations',
    'materialization attempts in the ledger (all time), by asset, partition kind and outcome',
    ['asset', 'partition_kind', 'outcome'],
    (g, s) => {
      for (const r of s.materializations)
        g.inc({ asset: r.asset_key, partition_kind: partitionKind(r.partitioned), outcome: r.status }, r.n);
    },
  );
  gauge(
    'dw_asset_rows',
    'rows of the latest attempt of each asset partition (as dw status shows them), summed per asset, by kind',
    ['asset', 'kind'],
    (g, s) => {
      for (const r of s.latest) for (const kind of ROW_KINDS) g.inc({ asset: r.asset_key, kind }, Number(r[`rows_${kind}`]));
    },
  );
  gauge('dw_asset_repaired_values', 'values repaired in staging (check repairs) by the latest attempt of each asset', ['asset'], (g, s) => {
    for (const r of s.repaired) g.set({ asset: r.asset_key }, Number(r.n));
  });
  gauge(
    'dw_asset_partitions',
    'partitions of each partitioned asset by the state of their latest attempt (materialized, superseded, failed, blocked)',
    ['asset', 'state'],
    (g, s) => {
      for (const r of s.latest) if (r.partitioned) g.inc({ asset: r.asset_key, state: r.state }, r.n);
    },
  );
  gauge(
    'dw_asset_failed',
    'partitions (1 for a whole-table asset) whose latest attempt failed, for every asset in the ledger',
    ['asset'],
    (g, s) => {
      for (const r of s.latest) g.inc({ asset: r.asset_key }, r.state === 'failed' ? r.n : 0);
    },
  );
  gauge(
    'dw_asset_last_success_timestamp_seconds',
    'time of the last successful materialization of each asset (any partition)',
    ['asset'],
    (g, s) => {
      for (const r of s.lastSuccess) g.set({ asset: r.asset_key }, r.at);
    },
  );
  gauge(
    'dw_asset_freshness_seconds',
    'seconds since the last successful materialization of each asset (any partition)',
    ['asset'],
    (g, s) => {
      for (const r of s.lastSuccess) g.set({ asset: r.asset_key }, Math.max(0, Date.now() / 1000 - r.at));
    },
  );
  gauge(
    'dw_source_version_since_timestamp_seconds',
    "when the ledger first loaded the current content of each raw asset's source file",
    ['asset'],
    (g, s) => {
      for (const r of s.sourceSince) g.set({ asset: r.asset_key }, r.at);
    },
  );
  gauge(
    'dw_source_age_seconds',
    "seconds since the current content of each raw asset's source file was first loaded (the source's own freshness)",
    ['asset'],
    (g, s) => {
      for (const r of s.sourceSince) g.set({ asset: r.asset_key }, Math.max(0, Date.now() / 1000 - r.at));
    },
  );
  const sla = new Gauge({
    name: 'dw_asset_freshness_sla_seconds',
    help: 'the freshness SLA of each asset that declares one (seconds since its last success)',
    labelNames: ['asset'],
    registers: [registry],
  });
  for (const [asset, seconds] of freshnessSlas) sla.set({ asset }, seconds);
  gauge(
    'dw_check_results',
    'check results (contracts, rules, dbt tests) of the latest attempt of each asset partition, by outcome',
    ['asset', 'outcome'],
    (g, s) => {
      for (const r of s.checks) g.inc({ asset: r.asset_key, outcome: r.passed ? 'passed' : 'failed' }, r.n);
    },
  );
  gauge('dw_quality_score', 'share of passed checks in the latest attempt of each asset (0..1)', ['asset'], (g, s) => {
    const by = new Map<string, { passed: number; total: number }>();
    for (const r of s.checks) {
      const t = by.get(r.asset_key) ?? { passed: 0, total: 0 };
      t.total += r.n;
      if (r.passed) t.passed += r.n;
      by.set(r.asset_key, t);
    }
    for (const [asset, t] of by) g.set({ asset }, t.passed / t.total);
  });
  gauge(
    'dw_quality_score_overall',
    "share of passed checks over every asset's latest attempt (0..1; 1 when there are none)",
    [],
    (g, s) => {
      const total = s.checks.reduce((a, r) => a + r.n, 0);
      g.set(total === 0 ? 1 : s.checks.filter((r) => r.passed).reduce((a, r) => a + r.n, 0) / total);
    },
  );
  gauge('dw_runs', 'materialize runs in the ledger (all time, backfill children included), by status', ['status'], (g, s) => {
    for (const r of s.runs) g.set({ status: r.status }, r.n);
  });
  gauge(
    'dw_last_run_start_timestamp_seconds',
    'start time of the latest top-level materialize run (CLI or schedule; 0: never)',
    [],
    (g, s) => {
      if (s.lastRunStart !== null) g.set(s.lastRunStart);
    },
  );
  gauge('dw_schedule_last_run_timestamp_seconds', 'start time of the latest run fired by each schedule', ['schedule'], (g, s) => {
    for (const r of s.schedules) g.set({ schedule: r.schedule }, r.at);
  });
  gauge(
    'dw_backfill_partitions',
    'backfill partition runs by the status of their latest run (running, success, failed)',
    ['state'],
    (g, s) => {
      for (const r of s.backfill) g.set({ state: r.status }, r.n);
    },
  );
  gauge('dw_backfill_last_progress_timestamp_seconds', 'time a backfill partition run last started or finished (0: never)', [], (g, s) => {
    if (s.backfillLastProgress !== null) g.set(s.backfillLastProgress);
  });
  gauge('dw_ledger_rows', 'rows in the ledger tables', ['table'], (g, s) => {
    for (const r of s.tables) g.set({ table: r.table_name }, r.n);
  });
  gauge('dw_ledger_bytes', 'size of the ledger schema dw_meta on disk (tables with indexes and TOAST)', [], (g, s) => {
    g.set(Number(s.ledgerBytes));
  });

  const buckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];
  return {
    registry,
    ledger,
    activityDuration: new Histogram({
      name: 'dw_activity_duration_seconds',
      help: 'duration of the activities this worker ran, by activity type and outcome',
      labelNames: ['activity', 'outcome'],
      buckets,
      registers: [registry],
    }),
    materializationDuration: new Histogram({
      name: 'dw_materialization_duration_seconds',
      help: 'duration of materializeAsset activities by asset and outcome (materialized, skipped, failed, blocked, error)',
      labelNames: ['asset', 'outcome'],
      buckets,
      registers: [registry],
    }),
  };
}
