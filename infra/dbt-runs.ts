// dbt's per-run target/log directories: marked while in use, pruned to the newest N after each run.
import fs from 'node:fs';
import path from 'node:path';

const IN_USE = '.dw-in-use';

/** Marks a run directory as used by this process until unmarkInUse (a prune from any process skips it). */
export function markInUse(dir: string): void {
  fs.writeFileSync(path.join(dir, IN_USE), String(process.pid));
}

export function unmarkInUse(dir: string): void {
  fs.rmSync(path.join(dir, IN_USE), { force: true });
}

function inUse(dir: string): boolean {
  try {
    const pid = Number(fs.readFileSync(path.join(dir, IN_USE), 'utf8'));
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // alive, another user's
  }
}

/**
 * Keeps the `keep` most recently modified run directories under `runsDir` and removes the others, except
 * directories a live process still uses. Returns the removed directories.
 */
export function pruneDbtRuns(runsDir: string, keep: number): string[] {
  if (!fs.existsSync(runsDir)) return [];
  const dirs = fs
    .readdirSync(runsDir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => {
      const p = path.join(runsDir, e.name);
      try {
        return { p, mtime: fs.statSync(p).mtimeMs };
      } catch {
        return { p, mtime: 0 }; // removed meanwhile
      }
    });
  dirs.sort((a, b) => b.mtime - a.mtime || b.p.localeCompare(a.p));
  const removed: string[] = [];
  for (const { p } of dirs.slice(keep)) {
    if (inUse(p)) continue;
    fs.rmSync(p, { recursive: true, force: true });
    removed.push(p);
  }
  return removed;
}
