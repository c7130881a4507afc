// A full disk named once: detects "No space left on device" in a tool's output and reports the path and its free space.
import fs from 'node:fs';
import path from 'node:path';

/** What dbt (Python), PostgreSQL and Node print when a write fails on a full disk. */
const NO_SPACE = /No space left on device|\bENOSPC\b|\[Errno 28\]|could not extend file|disk full/i;

export function mentionsNoSpace(text: string): boolean {
  return NO_SPACE.test(text);
}

/** Free bytes for an unprivileged user on the filesystem holding `p` (its nearest existing ancestor). */
export function freeBytes(p: string, statfs: (p: string) => { bavail: number; bsize: number } = fs.statfsSync): number {
  let at = path.resolve(p);
  while (!fs.existsSync(at) && path.dirname(at) !== at) at = path.dirname(at);
  const s = statfs(at);
  return Number(s.bavail) * Number(s.bsize);
}

export function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v >= 100 || u === 0 ? Math.round(v) : v.toFixed(1)} ${units[u]}`;
}

/** The disk under `path` is full (or nearly): one error with the path, its free space and what to do. */
export class NoSpaceError extends Error {
  readonly code = 'DBT.NO_SPACE';
  constructor(
    readonly path: string,
    readonly freeBytes: number,
    hint: string,
  ) {
    super(`no space left on ${path} (${formatBytes(freeBytes)} free): ${hint}`);
    this.name = 'NoSpaceError';
  }
}

/** The path among `paths` with the least free space, and that space. */
export function tightest(paths: string[], statfs?: (p: string) => { bavail: number; bsize: number }): { path: string; free: number } {
  return paths.map((p) => ({ path: p, free: freeBytes(p, statfs) })).reduce((a, b) => (b.free < a.free ? b : a));
}
