// Bad input, one case each: a clear error naming file, record and rule, or a quarantined row; never a half-written table.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { platformGraph } from '../../assets';
import { materializeAsset } from '../../activities/materialize-asset';
import { contract } from '../../schema/contracts/olist';
import { createTestEnv, type TestEnv } from '../support/env';
import { SAMPLE_DIR, copySource } from '../support/fixtures';

let env: TestEnv;
let source: string;
const graph = platformGraph();

async function run(assetKey: string, allowShrink = false) {
  return materializeAsset({ pool: env.pool, graph }, { runId: 'test', assetKey, partitionKey: '', sourceDir: source, allowShrink });
}

async function count(table: string): Promise<number> {
  return (await env.pool.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n;
}

function file(name: string): string {
  return path.join(source, contract(name).file);
}

beforeAll(async () => {
  env = await createTestEnv('badinput');
});
afterAll(() => env?.close());

beforeEach(async () => {
  source = copySource();
  for (const name of ['orders', 'order_items']) {
    expect((await run(`raw/${name}`)).outcome).not.toBe('failed');
    expect((await run(`staging/${name}`)).outcome).not.toBe('failed');
  }
});

/** Runs the asset expecting a non-retryable failure; returns its type and message. */
async function expectFailure(assetKey: string): Promise<{ type: string; message: string }> {
  const err = await run(assetKey).then(
    () => undefined,
    (e: { type?: string; message: string; nonRetryable?: boolean }) => e,
  );
  expect(err, `${assetKey} should fail`).toBeDefined();
  expect(err?.nonRetryable).toBe(true);
  return { type: err?.type ?? '', message: err?.message ?? '' };
}

describe('extract rejects a broken file whole, leaving the previous load in place', () => {
  it('when a column is missing, then EXTRACT.HEADER_MISMATCH names the file and the column', async () => {
    const text = fs
      .readFileSync(file('order_items'), 'utf8')
      .split('\n')
      .map((l) => l.split(',').slice(0, 6).join(','))
      .join('\n');
    fs.writeFileSync(file('order_items'), text);
    const e = await expectFailure('raw/order_items');
    expect(e.type).toBe('EXTRACT.HEADER_MISMATCH');
    expect(e.message).toContain('olist_order_items_dataset.csv');
    expect(e.message).toContain('missing freight_value');
    expect(await count('raw.order_items')).toBe(1121);
  });

  it('when there is an extra column, then EXTRACT.HEADER_MISMATCH names it', async () => {
    const text = fs
      .readFileSync(file('orders'), 'utf8')
      .split('\n')
      .map((l, i) => (l ? `${l},${i === 0 ? 'coupon' : 'x'}` : l))
      .join('\n');
    fs.writeFileSync(file('orders'), text);
    const e = await expectFailure('raw/orders');
    expect(e.type).toBe('EXTRACT.HEADER_MISMATCH');
    expect(e.message).toContain('unexpected coupon');
    expect(await count('raw.orders')).toBe(1000);
  });

  it('when the file is empty, then EXTRACT.EMPTY_FILE says so and names the expected header', async () => {
    fs.writeFileSync(file('orders'), '');
    const e = await expectFailure('raw/orders');
    expect(e.type).toBe('EXTRACT.EMPTY_FILE');
    expect(e.message).toContain('olist_orders_dataset.csv is empty');
    expect(await count('raw.orders')).toBe(1000);
  });

  it('when the file has only its header, then the shrink guard keeps the previous load, and with allowShrink it loads zero rows and conservation holds', async () => {
    fs.writeFileSync(file('orders'), `${fs.readFileSync(file('orders'), 'utf8').split('\n')[0]}\n`);
    expect((await run('raw/orders')).error).toEqual({
      code: 'GUARD.SHRINK',
      message: 'raw/orders: 0 rows where the last version had 1000; pass --allow-shrink if this is intended',
    });
    expect(await count('raw.orders')).toBe(1000);
    expect((await run('raw/orders', true)).rowsRead).toBe(0);
    const staged = await run('staging/orders', true);
    expect(staged).toMatchObject({ outcome: 'materialized', rowsRead: 0, rowsWritten: 0 });
  });

  it('when the file is cut in the middle of a record, then SOURCE.TRUNCATED names the file and the record', async () => {
    const bytes = fs.readFileSync(file('orders'));
    fs.writeFileSync(file('orders'), bytes.subarray(0, bytes.length - 60));
    const e = await expectFailure('raw/orders');
    expect(e.type).toBe('SOURCE.TRUNCATED');
    expect(e.message).toMatch(/olist_orders_dataset\.csv is cut: its last record \(1000\) ends without a line terminator/);
    expect(await count('raw.orders')).toBe(1000);
    expect((await env.pool.query(`SELECT count(DISTINCT _source_sha256)::int AS n FROM raw.orders`)).rows[0].n).toBe(1);
  });

  it('when a quoted field is never closed, then SOURCE.TRUNCATED says the file is cut', async () => {
    fs.appendFileSync(file('order_items'), '00010242fe8c5a6d1ba2dd792cb16214,2,"4244733e06e7ecb4970a6e2683c13e61');
    const e = await expectFailure('raw/order_items');
    expect(e.type).toBe('SOURCE.TRUNCATED');
    expect(e.message).toMatch(/still open at the end of the file/);
    expect(e.message).toContain('olist_order_items_dataset.csv');
    expect(await count('raw.order_items')).toBe(1121);
  });

  it('when a record is not valid UTF-8, then EXTRACT.INVALID_ENCODING names the file and the record', async () => {
    const lines = fs.readFileSync(file('orders')).toString('latin1').split('\n');
    lines[5] = (lines[5] as string).replace('delivered', 'deliv\xe9red');
    fs.writeFileSync(file('orders'), Buffer.from(lines.join('\n'), 'latin1'));
    const e = await expectFailure('raw/orders');
    expect(e.type).toBe('EXTRACT.INVALID_ENCODING');
    expect(e.message).toMatch(/olist_orders_dataset\.csv, record 5\b/);
    expect(e.message).toContain('UTF8');
    expect(await count('raw.orders')).toBe(1000);
  });

  it('when the source file is not there, then EXTRACT.FILE_NOT_FOUND names the file and the folder', async () => {
    fs.rmSync(file('orders'));
    const e = await expectFailure('raw/orders');
    expect(e.type).toBe('EXTRACT.FILE_NOT_FOUND');
    expect(e.message).toContain(source);
  });
});

describe('staging quarantines the rows that fail their contract, and loads the rest', () => {
  async function quarantined(asset: string) {
    return (
      await env.pool.query(
        `SELECT rule_code, reason, source_file, source_row, source_sha256, record FROM quarantine.rows WHERE asset_key = $1 ORDER BY source_row`,
        [asset],
      )
    ).rows;
  }

  it('when a price is not a number, then that row is quarantined as CONTRACT.INVALID_NUMBER and the others are staged', async () => {
    const lines = fs.readFileSync(file('order_items'), 'utf8').split('\n');
    lines[3] = (lines[3] as string).replace(/,(\d+\.\d+),(\d+\.\d+)$/, ',"12,5O",$2');
    fs.writeFileSync(file('order_items'), lines.join('\n'));
    await run('raw/order_items');
    const r = await run('staging/order_items');
    expect(r).toMatchObject({ outcome: 'materialized', rowsRead: 1121, rowsWritten: 1120, rowsQuarantined: 1 });
    const q = await quarantined('staging/order_items');
    expect(q).toHaveLength(1);
    expect(q[0]).toMatchObject({ rule_code: 'CONTRACT.INVALID_NUMBER', source_file: 'olist_order_items_dataset.csv', source_row: 3 });
    expect(q[0].reason).toBe(`price: '12,5O' is not an amount with at most 2 decimals`);
    expect(q[0].record.price).toBe('12,5O');
  });

  it('when a timestamp does not parse, then the row is quarantined as CONTRACT.INVALID_TIMESTAMP, also for a day the month lacks', async () => {
    const lines = fs.readFileSync(file('orders'), 'utf8').split('\n');
    const cells = (lines[2] as string).split(',');
    cells[3] = '2017-13-01 10:00:00';
    lines[2] = cells.join(',');
    const cells7 = (lines[7] as string).split(',');
    cells7[3] = '2017-02-30 10:00:00';
    lines[7] = cells7.join(',');
    fs.writeFileSync(file('orders'), lines.join('\n'));
    await run('raw/orders');
    const r = await run('staging/orders');
    expect(r).toMatchObject({ rowsRead: 1000, rowsWritten: 998, rowsQuarantined: 2 });
    const q = await quarantined('staging/orders');
    expect(q.map((x) => [x.rule_code, x.source_row])).toEqual([
      ['CONTRACT.INVALID_TIMESTAMP', 2],
      ['CONTRACT.INVALID_TIMESTAMP', 7],
    ]);
    expect(q[0].reason).toContain(`order_purchase_timestamp: '2017-13-01 10:00:00' is not a timestamp`);
  });

  it('when a required field is empty, then the row is quarantined as CONTRACT.REQUIRED_MISSING', async () => {
    const lines = fs.readFileSync(file('orders'), 'utf8').split('\n');
    lines[10] = (lines[10] as string).replace(/^[0-9a-f]{32},/, ',');
    fs.writeFileSync(file('orders'), lines.join('\n'));
    await run('raw/orders');
    await run('staging/orders');
    const q = await quarantined('staging/orders');
    expect(q.map((x) => [x.rule_code, x.source_row, x.reason])).toEqual([['CONTRACT.REQUIRED_MISSING', 10, 'order_id is missing']]);
  });

  it('when a file is fixed, then its quarantine is replaced, not appended to', async () => {
    const lines = fs.readFileSync(file('order_items'), 'utf8').split('\n');
    lines[3] = (lines[3] as string).replace(/,(\d+\.\d+),(\d+\.\d+)$/, ',abc,$2');
    fs.writeFileSync(file('order_items'), lines.join('\n'));
    await run('raw/order_items');
    await run('staging/order_items');
    expect(await quarantined('staging/order_items')).toHaveLength(1);
    fs.copyFileSync(path.join(SAMPLE_DIR, contract('order_items').file), file('order_items'));
    await run('raw/order_items');
    expect(await run('staging/order_items')).toMatchObject({ rowsWritten: 1121, rowsQuarantined: 0 });
    expect(await quarantined('staging/order_items')).toHaveLength(0);
  });
});
