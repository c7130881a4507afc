// npm run bench:observability: the cost of metrics + logging on a scale-1 run, against a baseline measured in the same
// run. Runs alternate off, on, on, off, … (DW_OBSERVABILITY), each the whole pipeline on a fresh database with a fresh worker;
// during "on" runs the bench scrapes /metrics every 15 s like Prometheus. Results in bench/results/observability.{json,md}.
import fs from 'node:fs';
import path from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { Client } from '@temporalio/client';
import type { AssetKind } from '../assets';
import { createPool } from '../infra/db';
import { LOG_DIR } from '../infra/services/process';
import { BenchWorker, cleanup, createBenchDatabase, dropBenchDatabase } from './env';
import { materialize } from './materialize';
import { openSession, type PairedRun, workDir } from './session';
import { checkPaired, cliOptions, type OptionSpecs, PAIRED_SPECS, pairOrder, type PairedOptions } from './options';
import { type Scrape, cpuMs, diffThreads, freePortPair, scraper, systemCpu, threadCpuMs } from './observability-probe';
import { cpuBusy, fmt, median, progress } from './util';

const RESULTS_DIR = path.join(__dirname, 'results');
const SCRAPE_INTERVAL_MS = 15_000;

interface Options extends PairedOptions {
  logLevel: string;
}

const COMMAND = {
  usage: 'npm run bench:observability [-- options]',
  defaults: { scale: 1, seed: '42', pairs: 2, logLevel: 'info' },
  specs: {
    ...PAIRED_SPECS,
    logLevel: { flag: '--log-level', kind: 'string', help: 'DW_LOG_LEVEL of both workers (info is the shipped default)' },
  } satisfies OptionSpecs<Options>,
  check: checkPaired,
};

interface RunRecord extends PairedRun {
  nodes: number;
  activitySumMs: number;
  stages: Partial<Record<AssetKind, { spanMs: number | null; ledgerMs: number }>>;
  loadAvg: number[];
  workerStartupMs: number;
  workerPeakHwmKiB: number;
  workerCpuMs: number;
  /** The worker's CPU by thread group (main: activities and metrics/logging code; helpers: V8 GC and libuv; core: Temporal Core). */
  workerThreadsMs: Record<string, number>;
  /** Share of both cores busy during the run, every process included (the worker and Postgres too): the machine's load. */
  busyDuring: number;
  scrapes: Scrape[];
  jsonlBytes: number;
  jsonlLines: number;
}

async function main(): Promise<void> {
  const opts = cliOptions<Options>(COMMAND);
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const id = `${process.pid}`;
  const work = workDir('dw-bench-obs-');
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const runs: RunRecord[] = [];
  const errors: string[] = [];
  let client: Client;
  const jsonlFiles: string[] = [];
  let dataRows = 0;
  try {
    const session = await openSession(work, opts.scale, opts.seed);
    const { graph, dir } = session;
    client = session.client;
    dataRows = session.rows;
    for (const [i, mode] of pairOrder(opts.pairs).entries()) {
      const tag = `obs-${mode}-${i + 1}`;
      const db = `bench_${id}_obs_${i + 1}`;
      const url = await createBenchDatabase(db);
      const port = await freePortPair();
      const taskQueue = `bench-${id}-${tag}`;
      const jsonl = path.join(LOG_DIR, `activities-${taskQueue.replace(/[^A-Za-z0-9_.-]/g, '_')}.jsonl`);
      jsonlFiles.push(jsonl);
      const worker = await BenchWorker.start({
        name: tag,
        databaseUrl: url,
        taskQueue,
        logDir: work,
        env: { DW_OBSERVABILITY: mode, DW_LOG_LEVEL: opts.logLevel, DW_METRICS_PORT: String(port) },
      });
      const pool = createPool(url, 2);
      try {
        const busyBefore = await cpuBusy();
        const cpu0 = cpuMs(worker.pid);
        const threads0 = threadCpuMs(worker.pid);
        const sys0 = systemCpu();
        const scrape =
          mode === 'on'
            ? scraper([`http://127.0.0.1:${port}/metrics`, `http://127.0.0.1:${port + 1}/metrics`], SCRAPE_INTERVAL_MS)
            : undefined;
        const r = await materialize({ client: session.client, pool, graph, taskQueue, sourceDir: dir }, '*', {
          track: true,
          label: `${mode} ${i + 1}`,
        });
        const scrapes = (await scrape?.stop()) ?? [];
        const cpu1 = cpuMs(worker.pid);
        const threads = diffThreads(threads0, threadCpuMs(worker.pid));
        const sys1 = systemCpu();
        if (r.status !== 'success') errors.push(`${tag}: run ${r.status}: ${r.rootCauses.join(', ')}`);
        if (mode === 'on' && !scrapes.some((s) => s.ok)) errors.push(`${tag}: no scrape of /metrics succeeded`);
        if (mode === 'off' && fs.existsSync(jsonl)) errors.push(`${tag}: DW_OBSERVABILITY=off still wrote ${jsonl}`);
        const text = fs.existsSync(jsonl) ? fs.readFileSync(jsonl, 'utf8') : '';
        const stages: RunRecord['stages'] = {};
        for (const [k, s] of Object.entries(r.stages)) stages[k as AssetKind] = { spanMs: s.spanMs, ledgerMs: s.ledgerMs };
        const rec: RunRecord = {
          mode,
          index: i + 1,
          wallMs: r.wallMs,
          status: r.status,
          nodes: r.nodes,
          activitySumMs: r.activityMs.sum,
          stages,
          busyBefore,
          loadAvg: r.loadAvg,
          workerStartupMs: worker.startupMs,
          workerPeakHwmKiB: worker.memory().peakHwmKiB,
          workerCpuMs: cpu1 - cpu0,
          workerThreadsMs: threads,
          busyDuring: sys1.total > sys0.total ? (sys1.busy - sys0.busy) / (sys1.total - sys0.total) : 0,
          scrapes,
          jsonlBytes: text.length,
          jsonlLines: text ? text.trimEnd().split('\n').length : 0,
        };
        runs.push(rec);
        progress(
          `  ${mode} ${i + 1}: ${r.status} in ${fmt.s(r.wallMs)} (worker CPU ${fmt.s(rec.workerCpuMs)}, other processes ${fmt.pct(busyBefore)} busy before)` +
            (mode === 'on'
              ? `, ${scrapes.length} scrapes (median ${fmt.ms(median(scrapes.map((s) => s.ms)), 1)}), .jsonl ${fmt.int(rec.jsonlLines)} lines`
              : ''),
        );
        writeReport(opts, startedAt, performance.now() - t0, dataRows, runs, errors);
      } finally {
        await pool.end();
        await worker.stop();
        await dropBenchDatabase(db);
      }
    }
  } catch (err) {
    errors.push(`aborted: ${(err as Error).stack ?? String(err)}`);
    progress(`ERROR: ${(err as Error).message}`);
  } finally {
    await cleanup();
    fs.rmSync(work, { recursive: true, force: true });
    for (const f of jsonlFiles) fs.rmSync(f, { force: true });
  }
  writeReport(opts, startedAt, performance.now() - t0, dataRows, runs, errors);
  if (errors.length) progress(`${errors.length} error(s):\n${errors.join('\n')}`);
  // The client's connection is not closed: the run's last progress query may still be pending against the stopped
  // worker, and the client retried it on the closed connection after the results were written (exit 1). Exit here.
  process.exit(errors.length ? 1 : 0);
}

/** Pairs (off i, on i) in run order, and the ratios. */
function summarize(runs: RunRecord[]) {
  const off = runs.filter((r) => r.mode === 'off' && r.status === 'success');
  const on = runs.filter((r) => r.mode === 'on' && r.status === 'success');
  const pairs = off.flatMap((o, i) => (on[i] ? [{ off: o, on: on[i] as RunRecord, ratio: (on[i] as RunRecord).wallMs / o.wallMs }] : []));
  const medianOff = median(off.map((r) => r.wallMs));
  const medianOn = median(on.map((r) => r.wallMs));
  return {
    pairs,
    medianOff,
    medianOn,
    ratioOfMedians: medianOn / medianOff,
    medianPairRatio: median(pairs.map((p) => p.ratio)),
    cpuRatio: median(on.map((r) => r.workerCpuMs)) / median(off.map((r) => r.workerCpuMs)),
    medianPairCpuRatio: median(pairs.map((p) => p.on.workerCpuMs / p.off.workerCpuMs)),
    mainThreadRatio: median(on.map((r) => r.workerThreadsMs.main ?? NaN)) / median(off.map((r) => r.workerThreadsMs.main ?? NaN)),
  };
}

function writeReport(opts: Options, startedAt: string, elapsedMs: number, rows: number, runs: RunRecord[], errors: string[]): void {
  const s = summarize(runs);
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  fs.writeFileSync(
    path.join(RESULTS_DIR, 'observability.json'),
    JSON.stringify({ version: 1, startedAt, elapsedMs, options: opts, sourceRows: rows, runs, summary: s, errors }, null, 2) + '\n',
  );
  const pct = (r: number) => (Number.isFinite(r) ? `${((r - 1) * 100).toFixed(1)} %` : '—');
  const kinds = [...new Set(runs.flatMap((r) => Object.keys(r.stages)))] as AssetKind[];
  const lines = [
    '# Observability overhead (`npm run bench:observability`)',
    '',
    `Started ${startedAt.slice(0, 16).replace('T', ' ')} UTC, ${fmt.s(elapsedMs, 0)} in all. Scale ${opts.scale} (seed ${opts.seed}, ${fmt.int(rows)} source rows), the whole pipeline (\`*\`) on a fresh database and a fresh worker per run, runs interleaved off, on, on, off, …. Raw figures: [observability.json](observability.json).`,
    '',
    `- **on**: the worker as shipped (\`DW_OBSERVABILITY=on\`): /metrics and the Temporal SDK metrics served, the activity interceptors (log context, histograms), the rotated \`.jsonl\` file; the bench scrapes both /metrics endpoints every ${SCRAPE_INTERVAL_MS / 1000} s with fetch.`,
    `- **off**: \`DW_OBSERVABILITY=off\`: none of these. Both use \`DW_LOG_LEVEL=${opts.logLevel}\` on the console (to a file).`,
    '',
    '| run | mode | wall | worker CPU | main / helpers / core threads | activities (sum) | ' +
      kinds.map((k) => `${k} span`).join(' | ') +
      ' | machine busy before / during | scrapes | .jsonl lines |',
    '| --- | --- | --- | --- | --- | --- | ' + kinds.map(() => '---').join(' | ') + ' | --- | --- | --- |',
    ...runs.map(
      (r) =>
        `| ${r.index} | ${r.mode} | ${fmt.s(r.wallMs)} | ${fmt.s(r.workerCpuMs)} | ` +
        `${['main', 'helpers', 'core'].map((k) => fmt.s(r.workerThreadsMs?.[k] ?? null)).join(' / ')} | ${fmt.s(r.activitySumMs)} | ` +
        kinds.map((k) => fmt.s(r.stages[k]?.spanMs ?? null)).join(' | ') +
        ` | ${fmt.pct(r.busyBefore)} / ${fmt.pct(r.busyDuring)} | ` +
        (r.mode === 'on'
          ? `${r.scrapes.length} (median ${fmt.ms(median(r.scrapes.map((x) => x.ms)), 1)}, ${fmt.int(median(r.scrapes.filter((x) => x.ok).map((x) => x.series)))} series)`
          : '—') +
        ` | ${r.mode === 'on' ? fmt.int(r.jsonlLines) : '—'} |`,
    ),
    '',
    '| figure | value |',
    '| --- | --- |',
    `| median wall, off | ${fmt.s(s.medianOff)} |`,
    `| median wall, on | ${fmt.s(s.medianOn)} |`,
    `| ratio on ÷ off (medians) | ${fmt.x(s.ratioOfMedians, 3)} (${pct(s.ratioOfMedians)}) |`,
    `| median of the pair ratios (on i ÷ off i) | ${fmt.x(s.medianPairRatio, 3)} (${pct(s.medianPairRatio)}) — pairs: ${s.pairs.map((p) => fmt.x(p.ratio, 3)).join(', ') || '—'} |`,
    `| worker CPU, on ÷ off (medians) | ${fmt.x(s.cpuRatio, 3)} (${pct(s.cpuRatio)}) |`,
    `| worker CPU, median of the pair ratios | ${fmt.x(s.medianPairCpuRatio, 3)} (${pct(s.medianPairCpuRatio)}) |`,
    `| worker main thread CPU, on ÷ off (medians) | ${fmt.x(s.mainThreadRatio, 3)} (${pct(s.mainThreadRatio)}) |`,
    `| goal | ≤ 3 % |`,
    '',
    ...(errors.length ? ['Errors:', '', ...errors.map((e) => `- ${e.split('\n')[0]}`), ''] : []),
  ];
  const notes = path.join(__dirname, 'observability-notes.md');
  if (fs.existsSync(notes)) lines.push(fs.readFileSync(notes, 'utf8').trimEnd(), '');
  fs.writeFileSync(path.join(RESULTS_DIR, 'observability.md'), lines.join('\n'));
}

void main().catch((err) => {
  process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`);
  void cleanup().finally(() => process.exit(1));
});
