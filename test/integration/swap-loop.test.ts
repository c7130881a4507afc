// A source file replaced every few milliseconds while forced raw loads run (issue 20 item 1): every published load's
// checkpoint hash is the hash of the rows it loaded, every other attempt fails SOURCE.CHANGED_DURING_READ, and a plain
// run on the final file leaves the warehouse equal to a clean load of it.
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { contract } from '../../schema/contracts/olist';
import { warehouseDigest } from '../support/digest';
import { createTestEnv, type TestEnv } from '../support/env';
import { copySource } from '../support/fixtures';

let env: TestEnv;
let dir: string;
let published: Record<string, string>;
const ORDERS = contract('orders').file;
const TRIALS = 20;

/**
 * Swaps `a` and `b` in turn over `target` (written beside it, renamed over it) until killed: bursts every 2 ms, then a
 * pause of up to 150 ms, so that loads meet both a file that changes under them and one that holds still.
 */
function swapper(target: string, a: string, b: string): ChildProcess {
  const script = `
    const fs = require('node:fs');
    const [target, a, b] = process.argv.slice(1);
    let i = 0;
    const swap = () => { const tmp = target + '.swap'; fs.copyFileSync(i++ % 2 ? a : b, tmp); fs.renameSync(tmp, target); };
    const tick = () => { swap(); setTimeout(tick, i % 20 < 15 ? 2 : Math.floor(Math.random() * 150)); };
    tick();`;
  return spawn(process.execPath, ['-e', script, target, a, b], { stdio: 'ignore' });
}

const sha = (f: string) => createHash('sha256').update(fs.readFileSync(f)).digest('hex');

beforeAll(async () => {
  env = await createTestEnv('swaploop');
  await env.startWorker();
  dir = copySource();
  const s = await env.materialize({ selection: '*', sourceDir: dir });
  expect(s.status).toBe('success');
  published = await warehouseDigest(env.pool);
}, 600_000);

afterAll(async () => {
  await env?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

it(`when orders.csv is replaced in bursts every 2 ms during ${TRIALS} forced loads of raw/orders, then each checkpoint's hash is that of the rows loaded, and a plain run on the final file gives the clean warehouse`, async () => {
  const target = path.join(dir, ORDERS);
  const a = path.join(dir, 'version-a.csv.keep');
  const b = path.join(dir, 'version-b.csv.keep');
  fs.copyFileSync(target, a);
  // Version B: the same records, every delivered order shown as shipped (another content, the same count).
  fs.writeFileSync(b, fs.readFileSync(a, 'utf8').replaceAll(',delivered,', ',shipped,'));
  const shippedIn = (f: string) => (fs.readFileSync(f, 'utf8').match(/,shipped,/g) ?? []).length;
  const shipped: Record<string, number> = { [sha(a)]: shippedIn(a), [sha(b)]: shippedIn(b) };
  expect(shipped[sha(a)]).not.toBe(shipped[sha(b)]);

  const child = swapper(target, a, b);
  const outcomes: string[] = [];
  try {
    for (let i = 0; i < TRIALS; i++) {
      const s = await env.materialize({ selection: 'raw/orders', sourceDir: dir, force: true });
      const raw = s.assets.find((x) => x.key === 'raw/orders');
      outcomes.push(raw?.error?.code ?? raw?.state ?? '?');
      if (s.status === 'failed') expect(raw?.error?.code, raw?.error?.message).toBe('SOURCE.CHANGED_DURING_READ');
      // Whatever happened, raw holds one version, the one its checkpoint names.
      const loaded = await env.pool.query(
        `SELECT _source_sha256 AS sha, count(*)::int AS n, count(*) FILTER (WHERE order_status = 'shipped')::int AS shipped
           FROM raw.orders GROUP BY 1`,
      );
      expect(loaded.rows).toHaveLength(1);
      const [{ sha: rowsSha, shipped: rowsShipped }] = loaded.rows;
      const checkpoint = await env.pool.query(
        `SELECT a.source_sha256 AS sha FROM dw_meta.checkpoints c JOIN dw_meta.row_accounting a ON a.materialization_id = c.materialization_id
          WHERE c.asset_key = 'raw/orders' AND c.partition_key = ''`,
      );
      expect(checkpoint.rows[0]?.sha).toBe(rowsSha);
      expect(shipped[rowsSha], 'the rows are those of the version named by their hash').toBe(rowsShipped);
    }
  } finally {
    child.kill('SIGKILL');
  }
  console.info(`swap loop outcomes: ${outcomes.join(', ')}`);

  // The final file is the clean one: a plain run brings the warehouse back to the clean load.
  fs.copyFileSync(a, `${target}.swap`);
  fs.renameSync(`${target}.swap`, target);
  const s = await env.materialize({ selection: '*', sourceDir: dir });
  expect(s.status, JSON.stringify(s.rootCauses)).toBe('success');
  expect(await warehouseDigest(env.pool)).toEqual(published);
});
