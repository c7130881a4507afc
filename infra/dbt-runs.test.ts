// .dw/dbt/runs is pruned to the newest N run directories; a directory a live process uses is never removed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { markInUse, pruneDbtRuns, unmarkInUse } from './dbt-runs';

let dir: string;

/** Run directories run-00 (oldest) … run-<n-1>, a minute apart; `prepare` runs before their times are set. */
function makeRuns(n: number, prepare: (runs: string[]) => void = () => undefined): string[] {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dw-dbt-runs-'));
  const runs = Array.from({ length: n }, (_, i) => path.join(dir, `run-${String(i).padStart(2, '0')}`));
  for (const p of runs) {
    fs.mkdirSync(p);
    fs.writeFileSync(path.join(p, 'run_results.json'), '{}');
  }
  prepare(runs);
  const now = Date.now() / 1000;
  runs.forEach((p, i) => fs.utimesSync(p, now - (n - i) * 60, now - (n - i) * 60));
  return runs;
}

afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('pruneDbtRuns', () => {
  it('when there are more run directories than N, then the N most recent are kept and the others removed', () => {
    const runs = makeRuns(15);
    const removed = pruneDbtRuns(dir, 4);
    expect(removed.sort()).toEqual(runs.slice(0, 11));
    expect(fs.readdirSync(dir).sort()).toEqual(runs.slice(11).map((p) => path.basename(p)));
    expect(pruneDbtRuns(dir, 4)).toEqual([]); // already within the limit
  });

  it('when an old run directory is in use by a live process, then it is kept until released', () => {
    const runs = makeRuns(6, (r) => markInUse(r[0] as string));
    pruneDbtRuns(dir, 2);
    expect(fs.readdirSync(dir).sort()).toEqual(['run-00', 'run-04', 'run-05']);
    unmarkInUse(runs[0] as string); // the run ended just now: the most recent directory
    pruneDbtRuns(dir, 2);
    expect(fs.readdirSync(dir).sort()).toEqual(['run-00', 'run-05']);
  });

  it('when the marking process is gone, then its directory is pruned like any other', () => {
    makeRuns(3, (r) => fs.writeFileSync(path.join(r[0] as string, '.dw-in-use'), '2147483646')); // no such pid
    pruneDbtRuns(dir, 1);
    expect(fs.readdirSync(dir)).toEqual(['run-02']);
  });
});
