// How the extract reads a source file: once, hashing what it loads; a file changed or cut mid-run, a link into .dw,
// trailing blank lines and a NUL byte each end as the contract says, never as rows of one version under another's hash.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { extractFile } from '../../activities/extract/extract';
import { hashSource, openSource } from '../../activities/extract/source-file';
import { materializeAsset } from '../../activities/materialize-asset';
import { platformGraph } from '../../assets';
import { ROOT, STATE_DIR } from '../../infra/config';
import { inTransaction } from '../../infra/db';
import { contract } from '../../schema/contracts/olist';
import { createTestEnv, type TestEnv } from '../support/env';
import { copySource, parseRecords } from '../support/fixtures';

let env: TestEnv;
let source: string;
const graph = platformGraph();
const ORDERS = contract('orders');
const REVIEWS = contract('order_reviews');
const file = (c = ORDERS) => path.join(source, c.file);

const run = (assetKey: string) =>
  materializeAsset({ pool: env.pool, graph }, { runId: 'test', assetKey, partitionKey: '', sourceDir: source });

async function failure(p: Promise<unknown>): Promise<{ type: string; message: string }> {
  const err = await p.then(
    () => undefined,
    (e: { type?: string; message: string }) => e,
  );
  expect(err, 'should fail').toBeDefined();
  return { type: err?.type ?? '', message: err?.message ?? '' };
}

const rawShas = async () => (await env.pool.query(`SELECT DISTINCT _source_sha256 AS s FROM raw.orders`)).rows.map((r) => r.s as string);

beforeAll(async () => {
  env = await createTestEnv('sourcereads');
});
afterAll(() => env?.close());
beforeEach(async () => {
  source = copySource();
  expect((await run('raw/orders')).outcome).not.toBe('failed');
});

describe('one read: the hash is of the bytes loaded', () => {
  it('when the file is rewritten in place while COPY reads it, then SOURCE.CHANGED_DURING_READ and the load rolls back', async () => {
    const before = await hashSource(file());
    let touched = false;
    const e = await failure(
      inTransaction(env.pool, (client) =>
        extractFile(client, ORDERS, file(), before, {
          readSize: 4096,
          onProgress: () => {
            if (!touched) fs.appendFileSync(file(), 'x'.repeat(10));
            touched = true;
          },
        }),
      ),
    );
    expect(e.type).toBe('SOURCE.CHANGED_DURING_READ');
    expect(e.message).toMatch(/olist_orders_dataset\.csv changed during the run: it was rewritten while read/);
    expect(await rawShas()).toHaveLength(1);
  });

  it('when another file is renamed over it while COPY reads it, then SOURCE.CHANGED_DURING_READ (replaced)', async () => {
    const before = await hashSource(file());
    const other = `${file()}.next`;
    fs.copyFileSync(file(), other);
    let swapped = false;
    const e = await failure(
      inTransaction(env.pool, (client) =>
        extractFile(client, ORDERS, file(), before, {
          readSize: 4096,
          onProgress: () => {
            if (!swapped) fs.renameSync(other, file());
            swapped = true;
          },
        }),
      ),
    );
    expect(e.type).toBe('SOURCE.CHANGED_DURING_READ');
    expect(e.message).toMatch(/replaced by another file while read/);
  });

  it('when the file is replaced between planning and loading, then the load refuses the other version', async () => {
    const planned = await hashSource(file());
    const text = fs.readFileSync(file(), 'utf8');
    fs.writeFileSync(`${file()}.tmp`, text.replace(',delivered,', ',shipped,'));
    fs.renameSync(`${file()}.tmp`, file());
    const e = await failure(inTransaction(env.pool, (client) => extractFile(client, ORDERS, file(), planned)));
    expect(e.type).toBe('SOURCE.CHANGED_DURING_READ');
    expect(e.message).toMatch(/not the version the run planned with/);
  });
});

describe('cut files, trailing lines and NUL bytes', () => {
  it('when the last record is whole but has no final newline, or blank lines follow it, then all 1000 records load', async () => {
    const text = fs.readFileSync(file(), 'utf8').replace(/\n+$/, '');
    for (const tail of ['', '\n', '\n\n\n']) {
      fs.writeFileSync(file(), text + tail);
      expect(await run('raw/orders'), JSON.stringify(tail)).toMatchObject({ outcome: 'materialized', rowsRead: 1000, rowsWritten: 1000 });
    }
  });

  it('when the file is cut inside its last value so that the value breaks its type, then SOURCE.TRUNCATED names the record', async () => {
    const text = fs.readFileSync(file(), 'utf8').replace(/\n+$/, '');
    fs.writeFileSync(file(), text.slice(0, -4)); // '2018-01-11 00:00:00' → '2018-01-11 00:0'
    const e = await failure(run('raw/orders'));
    expect(e.type).toBe('SOURCE.TRUNCATED');
    expect(e.message).toMatch(
      /its last record \(1000\) ends without a line terminator and its last value, order_estimated_delivery_date, breaks the contract/,
    );
    expect(await rawShas()).toEqual([await hashSource(path.join(copySource(), ORDERS.file))]);
  });

  it('when a review holds a NUL byte, then that record is quarantined (CONTRACT.NUL_BYTE) and the others stage', async () => {
    const reviews = parseRecords(file(REVIEWS)).length;
    const bytes = fs.readFileSync(file(REVIEWS));
    const at = bytes.indexOf('\n', bytes.indexOf('\n') + 1) - 3; // inside the first record's last field
    fs.writeFileSync(file(REVIEWS), Buffer.concat([bytes.subarray(0, at), Buffer.from([0]), bytes.subarray(at)]));
    expect(await run('raw/order_reviews')).toMatchObject({ outcome: 'materialized', rowsWritten: reviews });
    expect(await run('staging/order_reviews')).toMatchObject({ outcome: 'materialized', rowsQuarantined: 1, rowsWritten: reviews - 1 });
    const q = await env.pool.query(`SELECT rule_code, source_row, reason FROM quarantine.rows WHERE asset_key = 'staging/order_reviews'`);
    expect(q.rows).toEqual([{ rule_code: 'CONTRACT.NUL_BYTE', source_row: 1, reason: expect.stringMatching(/holds a NUL byte/) }]);
  });
});

describe('the worker opens only source files', () => {
  it('when a source file links into .dw, then the open is refused after following the link and the error holds none of its bytes', async () => {
    const secret = path.join(STATE_DIR, `test-secret-${process.pid}`);
    fs.mkdirSync(STATE_DIR, { recursive: true });
    fs.writeFileSync(secret, 'order_id,customer_id\ntop-secret-line\n', { mode: 0o600 });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dw-link-'));
    const link = path.join(dir, ORDERS.file);
    fs.symlinkSync(secret, link);
    try {
      // Even with the project itself as a source root, the descriptor's real path is checked, not the name given.
      const e = await failure(openSource(link, [ROOT, dir]));
      expect(e.type).toBe('SOURCE.OUTSIDE_ROOTS');
      expect(e.message).toMatch(/inside the project's state folder/);
      const viaRun = await failure(
        materializeAsset({ pool: env.pool, graph }, { runId: 'test', assetKey: 'raw/orders', partitionKey: '', sourceDir: dir }),
      );
      expect(viaRun.type).toBe('SOURCE.OUTSIDE_ROOTS');
      for (const m of [e.message, viaRun.message]) expect(m).not.toContain('top-secret');
    } finally {
      fs.rmSync(secret, { force: true });
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
