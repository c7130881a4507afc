// npm run bench:quality: the time the quality suites (and the rule/check results, scores, retention) add to a scale-1 run.
// Runs alternate off, on, on, off, … (DW_QUALITY), each the whole pipeline on a fresh database with a fresh worker process.
// Results in bench/results/quality.{json,md}; the goal (issue 13) is ≤ 10 % of the run.
import fs from 'node:fs';
import path from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { Client } from '@temporalio/client';
import { createPool } from '../infra/db';
import { BenchWorker, cleanup, createBenchDatabase, dropBenchDatabase } from './env';
import { materialize } from './materialize';
import { openSession, type PairedRun, workDir } from './session';
import { checkPaired, cliOptions, PAIRED_SPECS, pairOrder, type PairedOptions } from './options';
import { cpuBusy, fmt, median, progress } from './util';

const RESULTS_DIR = path.join(__dirname, 'results');

type Options = PairedOptions;

const COMMAND = {
  usage: 'npm run bench:quality [-- options]   (runs off, on, on, off, …)',
  defaults: { scale: 1, seed: '42', pairs: 1 },
  specs: PAIRED_SPECS,
  check: checkPaired,
};

interface RunRecord extends PairedRun {
  results: number;
  score: number | null;
}

async function main(): Promise<void> {
  const opts = cliOptions(COMMAND);
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const work = workDir('dw-bench-quality-');
  const runs: RunRecord[] = [];
  const errors: string[] = [];
  let client: Client | undefined;
  const startedAt = new Date().toISOString();
  try {
    const session = await openSession(work, opts.scale, opts.seed);
    const { graph, dir } = session;
    client = session.client;
    for (const [i, mode] of pairOrder(opts.pairs).entries()) {
      const db = `bench_${process.pid}_quality_${i + 1}`;
      const url = await createBenchDatabase(db);
      const taskQueue = `bench-${process.pid}-quality-${mode}-${i + 1}`;
      const worker = await BenchWorker.start({
        name: `quality-${mode}-${i + 1}`,
        databaseUrl: url,
        taskQueue,
        logDir: work,
        env: { DW_QUALITY: mode },
      });
      const pool = createPool(url, 2);
      try {
        const busyBefore = await cpuBusy();
        const r = await materialize({ client: session.client, pool, graph, taskQueue, sourceDir: dir }, '*', {
          track: true,
          label: `quality ${mode} ${i + 1}`,
        });
        const q = (
          await pool.query(`SELECT (SELECT count(*) FROM dw_meta.expectation_results)::int AS n,
                                            (SELECT score::float FROM dw_meta.quality_scores WHERE asset_key = '*' AND dimension = 'overall' LIMIT 1) AS score`)
        ).rows[0];
        if (r.status !== 'success') errors.push(`${mode} ${i + 1}: run ${r.status}: ${r.rootCauses.join(', ')}`);
        if (mode === 'off' && q.n > 0) errors.push(`${mode} ${i + 1}: DW_QUALITY=off still recorded ${q.n} results`);
        runs.push({ mode, index: i + 1, wallMs: r.wallMs, status: r.status, results: q.n, score: q.score, busyBefore });
        progress(
          `  ${mode} ${i + 1}: ${r.status} in ${fmt.s(r.wallMs)}, ${q.n} results, other processes ${fmt.pct(busyBefore)} busy before`,
        );
      } finally {
        await pool.end();
        await worker.stop();
        await dropBenchDatabase(db);
      }
    }
  } catch (err) {
    errors.push(`aborted: ${(err as Error).stack ?? String(err)}`);
  } finally {
    await cleanup();
    await client?.connection.close().catch(() => undefined);
    fs.rmSync(work, { recursive: true, force: true });
  }
  write(opts, startedAt, runs, errors);
  if (errors.length) {
    progress(`${errors.length} error(s):\n${errors.join('\n')}`);
    process.exitCode = 1;
  }
}

function write(opts: Options, startedAt: string, runs: RunRecord[], errors: string[]): void {
  const ok = (m: 'off' | 'on') => runs.filter((r) => r.mode === m && r.status === 'success').map((r) => r.wallMs);
  const off = median(ok('off'));
  const on = median(ok('on'));
  const overhead = on / off - 1;
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  fs.writeFileSync(
    path.join(RESULTS_DIR, 'quality.json'),
    JSON.stringify({ version: 1, startedAt, options: opts, runs, medianOffMs: off, medianOnMs: on, overhead, errors }, null, 2) + '\n',
  );
  fs.writeFileSync(
    path.join(RESULTS_DIR, 'quality.md'),
    [
      '# Quality suites overhead (`npm run bench:quality`)',
      '',
      `Started ${startedAt.slice(0, 16).replace('T', ' ')} UTC. Scale ${opts.scale} (seed ${opts.seed}), the whole pipeline (\`*\`), fresh database and worker per run; **off** = \`DW_QUALITY=off\`, **on** = as shipped.`,
      '',
      '| run | mode | wall | results recorded | overall score | other processes busy before |',
      '| --- | --- | --- | --- | --- | --- |',
      ...runs.map(
        (r) =>
          `| ${r.index} | ${r.mode} | ${fmt.s(r.wallMs)} | ${r.results} | ${r.score === null ? '—' : `${(r.score * 100).toFixed(2)} %`} | ${fmt.pct(r.busyBefore)} |`,
      ),
      '',
      `Median wall off ${fmt.s(off)}, on ${fmt.s(on)}: the suites add **${Number.isFinite(overhead) ? (overhead * 100).toFixed(1) : '—'} %** (goal ≤ 10 %).`,
      '',
      ...(errors.length ? ['Errors:', '', ...errors.map((e) => `- ${e.split('\n')[0]}`), ''] : []),
    ].join('\n'),
  );
}

void main().catch((err) => {
  process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`);
  void cleanup().finally(() => process.exit(1));
});
