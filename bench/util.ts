// Small helpers for the benchmark: progress on stderr, timing, formatting, child processes.
import { execFile } from 'node:child_process';
import fs from 'node:fs';

const t0 = performance.now();

/** One progress line on stderr, prefixed with the time since the benchmark started. */
export function progress(message: string): void {
  const s = ((performance.now() - t0) / 1000).toFixed(1).padStart(7);
  process.stderr.write(`[bench ${s} s] ${message}\n`);
}

export function elapsedSinceStart(): number {
  return performance.now() - t0;
}

export async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - started };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Runs a command, resolving with stdout; rejects with stderr in the message on a non-zero exit. */
export function run(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { env: opts.env ?? process.env, maxBuffer: 64 << 20, timeout: opts.timeoutMs ?? 0 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(' ')} failed: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

export const fmt = {
  int: (n: number | undefined | null) =>
    n === undefined || n === null || !Number.isFinite(n) ? '—' : Math.round(n).toLocaleString('en-US'),
  s: (ms: number | undefined | null, digits = 1) =>
    ms === undefined || ms === null || !Number.isFinite(ms) ? '—' : `${(ms / 1000).toFixed(digits)} s`,
  ms: (ms: number | undefined | null, digits = 0) =>
    ms === undefined || ms === null || !Number.isFinite(ms) ? '—' : `${ms.toFixed(digits)} ms`,
  x: (r: number | undefined | null, digits = 2) => (r === undefined || r === null || !Number.isFinite(r) ? '—' : `${r.toFixed(digits)}×`),
  mib: (kib: number | undefined | null) =>
    kib === undefined || kib === null || !Number.isFinite(kib) ? '—' : `${(kib / 1024).toFixed(0)} MiB`,
  pct: (r: number | undefined | null) => (r === undefined || r === null || !Number.isFinite(r) ? '—' : `${(r * 100).toFixed(0)} %`),
};

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** Least-squares slope and intercept of y over x. */
export function linearFit(points: Array<[number, number]>): { slope: number; intercept: number } {
  const n = points.length;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  const sxy = points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0);
  const sxx = points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  const slope = sxx === 0 ? NaN : sxy / sxx;
  return { slope, intercept: my - slope * mx };
}

function cpuTimes(): { busy: number; total: number } {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0] as string;
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (v[3] ?? 0) + (v[4] ?? 0);
  const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/** The share of all cores busy over the next `ms` milliseconds (0..1), from /proc/stat. */
export async function cpuBusy(ms = 2_000): Promise<number> {
  const a = cpuTimes();
  await sleep(ms);
  const b = cpuTimes();
  return b.total > a.total ? (b.busy - a.busy) / (b.total - a.total) : 0;
}
