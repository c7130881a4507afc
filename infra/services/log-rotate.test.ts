// The background worker's log stays bounded: rotated while the process runs, a few files kept, the newest lines in the file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WORKER_LOG_ROTATION } from './log-rotate';
import { isAlive, spawnDetached } from './process';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dw-rotate-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const KB = 1024;
const sizes = (file: string) =>
  [file, ...[1, 2, 3, 4].map((i) => `${file}.${i}`)].filter((f) => fs.existsSync(f)).map((f) => fs.statSync(f).size);

describe('a detached process with a rotated log', () => {
  it('when it writes 8 times the limit over a few seconds, then its log and 2 rotated copies stay near the limit and the last line is kept', async () => {
    const file = path.join(dir, 'worker.log');
    fs.writeFileSync(file, 'x'.repeat(300 * KB)); // a log past the limit from before: rotated at the first look
    // 64 KB every 100 ms for 4 s (2.5 MB), then a last line and 1.5 s more, so the watcher looks after it.
    const script = `let n=0;const t=setInterval(()=>{process.stdout.write('z'.repeat(64*1024-1)+'\\n');if(++n===40){clearInterval(t);console.error('the end');setTimeout(()=>{},1500)}},100)`;
    const pid = spawnDetached(process.execPath, ['-e', script], file, process.env, { maxBytes: 256 * KB, keep: 2, everySeconds: 0.2 });
    const seen: number[] = [];
    const deadline = Date.now() + 30_000;
    while (isAlive(pid) && Date.now() < deadline) {
      seen.push(...sizes(file));
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 500));
    // The newest lines: the file after its last rotation, or the copy the last rotation made.
    expect(fs.readFileSync(`${file}.1`, 'utf8') + fs.readFileSync(file, 'utf8')).toMatch(/the end\n$/);
    const s = sizes(file);
    expect(s).toHaveLength(3); // file, file.1, file.2: the older ones were dropped
    // Checked every 0.2 s at 640 KB/s: a file passes the limit by at most what one interval writes.
    expect(Math.max(...s, ...seen)).toBeLessThanOrEqual(256 * KB + 256 * KB);
    expect(fs.existsSync(`${file}.3`)).toBe(false);
    expect(WORKER_LOG_ROTATION.maxBytes * (WORKER_LOG_ROTATION.keep + 1)).toBeLessThanOrEqual(40 * 1024 * KB);
  }, 40_000);
});
