// Where observability's cost goes: runs the whole pipeline with the worker off and on (DW_OBSERVABILITY) round-robin,
// prints each run's worker CPU by thread group, and with --cpu-prof-dir writes each worker's V8 CPU profile.
// npx tsx bench/observability-profile.ts --scale 0.3 --rounds 1 --variants on,off --cpu-prof-dir /tmp/prof
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { Client } from '@temporalio/client';
import { createPool } from '../infra/db';
import { LOG_DIR } from '../infra/services/process';
import { BenchWorker, cleanup, createBenchDatabase, dropBenchDatabase } from './env';
import { materialize } from './materialize';
import { openSession, workDir } from './session';
import { cpuMs, diffThreads, freePortPair, scraper, threadCpuMs } from './observability-probe';
import { cliOptions, type Command } from './options';
import { cpuBusy, fmt, median, progress } from './util';

const COMMAND = {
  usage: 'npx tsx bench/observability-profile.ts [options]',
  defaults: {
    scale: 0.2,
    rounds: 2,
    variants: 'off,on',
    cpuProfDir: '',
    out: path.join(os.tmpdir(), `dw-obs-profile-${process.pid}.json`),
  },
  specs: {
    scale: { flag: '--scale', kind: 'number', help: 'generator scale of the data' },
    rounds: { flag: '--rounds', kind: 'number', help: 'rounds over the variants (every other round in reverse order)' },
    variants: { flag: '--variants', kind: 'string', help: 'DW_OBSERVABILITY values to run, comma-separated (on, off)' },
    cpuProfDir: { flag: '--cpu-prof-dir', kind: 'string', help: "write each worker's V8 CPU profile into this folder" },
    out: { flag: '--out', kind: 'string', help: "every run's figures as JSON" },
  },
  check: (o: { scale: number; rounds: number; variants: string }) =>
    !(o.scale > 0) || !(o.rounds >= 1)
      ? '--scale and --rounds take positive numbers'
      : o.variants.split(',').every((v) => v === 'on' || v === 'off')
        ? null
        : `--variants takes on and off, not ${o.variants}`,
} satisfies Command<{ scale: number; rounds: number; variants: string; cpuProfDir: string; out: string }>;

async function main(): Promise<void> {
  const { scale, rounds, variants: variantList, cpuProfDir: prof, out } = cliOptions(COMMAND);
  const variants = variantList.split(',');
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const work = workDir('dw-bench-prof-');
  let client: Client | undefined;
  const jsonl: string[] = [];
  const results: Array<{
    variant: string;
    round: number;
    wallMs: number;
    cpuMs: number;
    threads: Record<string, number>;
    busyBefore: number;
    status: string;
  }> = [];
  try {
    const session = await openSession(work, scale, '42');
    const { graph, dir } = session;
    client = session.client;
    let n = 0;
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? variants : [...variants].reverse();
      for (const variant of order) {
        n++;
        const mode = variant;
        if (mode !== 'on' && mode !== 'off') throw new Error(`--variants takes on and off, not ${variant}`);
        const db = `bench_${process.pid}_abl_${n}`;
        const url = await createBenchDatabase(db);
        const port = await freePortPair();
        const taskQueue = `bench-${process.pid}-abl-${n}`;
        jsonl.push(path.join(LOG_DIR, `activities-${taskQueue}.jsonl`));
        const worker = await BenchWorker.start({
          name: `abl-${n}`,
          databaseUrl: url,
          taskQueue,
          logDir: work,
          env: {
            DW_OBSERVABILITY: mode,
            DW_LOG_LEVEL: 'info',
            DW_METRICS_PORT: String(port),
            ...(prof ? { DW_CPU_PROFILE: path.join(prof, `${variant.replace(/[^a-z0-9]+/gi, '_')}-${n}.cpuprofile`) } : {}),
          },
          ...(prof ? { script: path.join(__dirname, 'profiled-worker.ts') } : {}),
        });
        const pool = createPool(url, 2);
        try {
          const busyBefore = await cpuBusy();
          const c0 = cpuMs(worker.pid);
          const t0 = threadCpuMs(worker.pid);
          const scrape =
            mode === 'on' ? scraper([`http://127.0.0.1:${port}/metrics`, `http://127.0.0.1:${port + 1}/metrics`], 15_000) : undefined;
          const r = await materialize({ client: session.client, pool, graph, taskQueue, sourceDir: dir }, '*', {
            track: true,
            label: variant,
          });
          await scrape?.stop();
          const rec = {
            variant,
            round,
            wallMs: r.wallMs,
            cpuMs: cpuMs(worker.pid) - c0,
            threads: diffThreads(t0, threadCpuMs(worker.pid)),
            busyBefore,
            status: r.status,
          };
          results.push(rec);
          progress(
            `${variant} #${round + 1}: ${r.status} wall ${fmt.s(r.wallMs)} cpu ${fmt.s(rec.cpuMs)} ${JSON.stringify(Object.fromEntries(Object.entries(rec.threads).map(([k, v]) => [k, Math.round(v)])))} busy ${fmt.pct(busyBefore)}`,
          );
          fs.writeFileSync(out, JSON.stringify(results, null, 1));
        } finally {
          await pool.end();
          await worker.stop();
          await dropBenchDatabase(db);
        }
      }
    }
  } finally {
    await cleanup();
    await client?.connection.close().catch(() => undefined);
    fs.rmSync(work, { recursive: true, force: true });
    for (const f of jsonl) fs.rmSync(f, { force: true });
  }
  for (const v of variants) {
    const rs = results.filter((r) => r.variant === v);
    const kinds = [...new Set(rs.flatMap((r) => Object.keys(r.threads)))].sort();
    progress(
      `${v.padEnd(28)} cpu ${fmt.s(median(rs.map((r) => r.cpuMs)))} wall ${fmt.s(median(rs.map((r) => r.wallMs)))} ` +
        kinds.map((k) => `${k} ${fmt.s(median(rs.map((r) => r.threads[k] ?? 0)))}`).join(' '),
    );
  }
  progress(`raw: ${out}`);
}

void main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`profile failed: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
