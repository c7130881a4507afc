// What every stage of `npm run bench` shares: its options, work folder, generated data per scale, database and task-queue
// names, worker processes, the quiet-machine wait and the error list; and the run figures the stages keep.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { AssetGraph } from '../assets';
import { createPool } from '../infra/db';
import { generate } from '../generator';
import { BenchWorker } from './env';
import type { LedgerRow, RunResult } from './materialize';
import type { BenchOptions } from './run-options';
import type { AssetTime, BenchResults, RunFigures } from './types';
import { cpuBusy, fmt, progress, sleep } from './util';

export interface GeneratedData {
  dir: string;
  rows: number;
  files: Record<string, number>;
  ms: number;
}

export class BenchContext {
  readonly id = `${process.pid}`;
  readonly work = fs.mkdtempSync(path.join(os.tmpdir(), 'dw-bench-'));
  readonly dataDirs = new Map<number, GeneratedData>();
  graph!: AssetGraph;
  client!: Client;
  readonly errors: string[] = [];
  readonly quietLog: BenchResults['quiet'] = [];
  private waitedMs = 0;

  /** Time spent waiting for a quiet machine (not counted against the budget). */
  get waited(): number {
    return this.waitedMs;
  }

  constructor(readonly opts: BenchOptions) {}

  /**
   * Waits until the machine is quiet (other processes, e.g. other engineers' test runs, use less than the threshold
   * of the CPUs over 2 s), at most 3 minutes per wait and --max-wait-min in all; records what it saw.
   */
  async quiet(label: string): Promise<void> {
    const started = performance.now();
    let busy = await cpuBusy();
    let lastNote = 0;
    while (
      busy > this.opts.quietThreshold &&
      this.waitedMs + (performance.now() - started) < this.opts.maxWaitMin * 60_000 &&
      performance.now() - started < 180_000
    ) {
      if (performance.now() - lastNote > 30_000) {
        lastNote = performance.now();
        progress(`  machine busy (${fmt.pct(busy)} of the CPUs used by other processes): waiting before ${label}`);
      }
      await sleep(3_000);
      busy = await cpuBusy();
    }
    const waited = performance.now() - started;
    this.waitedMs += waited;
    this.quietLog.push({ label, busy, waitedMs: waited, quiet: busy <= this.opts.quietThreshold });
    if (busy > this.opts.quietThreshold) progress(`  machine still busy (${fmt.pct(busy)}): measuring ${label} anyway`);
  }

  async data(scale: number): Promise<GeneratedData> {
    const have = this.dataDirs.get(scale);
    if (have) return have;
    const dir = path.join(this.work, `data-${scale}`);
    progress(`generating scale ${scale} (seed ${this.opts.seed}) into ${dir}`);
    const started = performance.now();
    const report = await generate({ scale, seed: this.opts.seed, outDir: dir });
    const files: Record<string, number> = {};
    for (const f of Object.values(report.files)) files[f.file] = f.rows;
    const d = { dir, rows: report.totalRows, files, ms: performance.now() - started };
    progress(`  ${fmt.int(d.rows)} rows in ${fmt.s(d.ms)}`);
    this.dataDirs.set(scale, d);
    return d;
  }

  dbName(tag: string): string {
    return `bench_${this.id}_${tag}`.replace(/\W/g, '_');
  }

  queue(tag: string): string {
    return `bench-${this.id}-${tag}`;
  }

  async worker(tag: string, databaseUrl: string, script?: string): Promise<BenchWorker> {
    return BenchWorker.start({ name: tag, databaseUrl, taskQueue: this.queue(tag), logDir: this.work, script });
  }

  async checkpoint(databaseUrl: string): Promise<void> {
    const pool = createPool(databaseUrl, 1);
    try {
      await pool.query('CHECKPOINT');
    } finally {
      await pool.end();
    }
  }
}

export function figures(r: RunResult): RunFigures {
  const { selection: _s, force: _f, workflowId: _w, runId: _r, ledger: _l, ...kept } = r;
  return kept;
}

export function assetTimes(rows: LedgerRow[]): AssetTime[] {
  const by = new Map<string, AssetTime>();
  for (const r of rows) {
    if (r.status !== 'success') continue;
    const a = by.get(r.assetKey) ?? { assetKey: r.assetKey, kind: r.kind, partitions: 0, durationMs: 0, maxPartitionMs: 0, rowsRead: 0 };
    a.partitions++;
    a.durationMs += r.durationMs;
    a.maxPartitionMs = Math.max(a.maxPartitionMs, r.durationMs);
    a.rowsRead += r.rowsRead;
    by.set(r.assetKey, a);
  }
  return [...by.values()].sort((a, b) => b.durationMs - a.durationMs);
}
