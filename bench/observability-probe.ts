// Measuring helpers of the observability bench: a worker's CPU (by thread group), free metrics ports, a /metrics scraper.
import fs from 'node:fs';
import net from 'node:net';

/** utime + stime of a process (all its threads, not its children) in ms, from /proc/<pid>/stat. */
export function cpuMs(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
  } catch {
    return NaN;
  }
}

/**
 * CPU ms of a worker's live threads grouped: `main` (the main thread: activities, pg, winston, prom-client), `workflows`
 * (the SDK's workflow thread), `core` (the Temporal Core runtime's Rust threads), `helpers` (V8's GC/compiler threads, libuv's pool).
 */
export function threadCpuMs(pid: number): Record<string, number> {
  const out: Record<string, number> = {};
  let tasks: string[] = [];
  try {
    tasks = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tasks) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ms = ((Number(f[11]) + Number(f[12])) * 1000) / 100;
      const kind = tid === String(pid) ? 'main' : /^workflow/.test(comm) ? 'workflows' : /tokio|temporal/.test(comm) ? 'core' : 'helpers';
      out[kind] = (out[kind] ?? 0) + ms;
    } catch {
      /* the thread ended */
    }
  }
  return out;
}

/** The difference b − a of two thread-group readings (a thread that ended between them is lost: a lower bound). */
export function diffThreads(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) out[k] = (b[k] ?? 0) - (a[k] ?? 0);
  return out;
}

/** Two consecutive free ports on 127.0.0.1 (the worker serves /metrics on P and the Temporal SDK's metrics on P + 1). */
export async function freePortPair(): Promise<number> {
  const tryListen = (port: number) =>
    new Promise<number | undefined>((resolve) => {
      const s = net.createServer();
      s.once('error', () => resolve(undefined));
      s.listen(port, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
  for (let i = 0; i < 20; i++) {
    const p = await tryListen(0);
    if (p !== undefined && p < 65535 && (await tryListen(p + 1)) !== undefined) return p;
  }
  throw new Error('no two consecutive free ports on 127.0.0.1: close some listeners and retry');
}

export interface Scrape {
  url: string;
  ms: number;
  bytes: number;
  series: number;
  ok: boolean;
}

/** Scrapes the URLs every `intervalMs` (the first at once, like Prometheus after a target appears) until stopped. */
export function scraper(urls: string[], intervalMs: number): { stop: () => Promise<Scrape[]> } {
  const out: Scrape[] = [];
  let stopped = false;
  let wake: (() => void) | undefined;
  const loop = (async () => {
    while (!stopped) {
      for (const url of urls) {
        const t = performance.now();
        try {
          const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
          const text = await res.text();
          out.push({
            url,
            ms: performance.now() - t,
            bytes: text.length,
            ok: res.ok,
            series: text.split('\n').filter((l) => l && !l.startsWith('#')).length,
          });
        } catch {
          out.push({ url, ms: performance.now() - t, bytes: 0, series: 0, ok: false });
        }
      }
      await new Promise<void>((r) => {
        wake = r;
        setTimeout(r, intervalMs);
      });
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      wake?.();
      await loop;
      return out;
    },
  };
}

/** Busy and total jiffies of all cores since boot, from /proc/stat (two readings give the machine's load between them). */
export function systemCpu(): { busy: number; total: number } {
  const v = (fs.readFileSync('/proc/stat', 'utf8').split('\n')[0] as string).trim().split(/\s+/).slice(1).map(Number);
  const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: total - (v[3] ?? 0) - (v[4] ?? 0), total };
}
