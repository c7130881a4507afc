// One run, one input: --source is checked before any run starts, a run reading another source is refused, and
// --partition must name a month of the data.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SOURCE_DIR } from '../../infra/config';
import { dw as run, dwAsync, stopCliWorker } from '../support/cli';
import { createTestEnv, type TestEnv } from '../support/env';

let env: TestEnv;
let otherSource: string;
const dw = (args: string[]) => run(env, args);

async function runsOnQueue(): Promise<string[]> {
  const ids: string[] = [];
  for await (const w of env.client.workflow.list({ query: `TaskQueue = '${env.taskQueue}'` })) ids.push(w.workflowId);
  return ids;
}

beforeAll(async () => {
  env = await createTestEnv('one_input');
  // Another export: the sample with one seller less.
  otherSource = fs.mkdtempSync(path.join(os.tmpdir(), 'dw-other-source-'));
  fs.cpSync(DEFAULT_SOURCE_DIR, otherSource, { recursive: true });
  const sellers = path.join(otherSource, 'olist_sellers_dataset.csv');
  const lines = fs.readFileSync(sellers, 'utf8').split('\n');
  fs.writeFileSync(sellers, [lines[0], ...lines.slice(2)].join('\n'));
});

afterAll(async () => {
  stopCliWorker(env);
  await env?.close();
  fs.rmSync(otherSource, { recursive: true, force: true });
});

describe('one run, one input', () => {
  it('when --source does not exist, is a file or lacks files, then dw exits 2 naming the problem and starts no run', () => {
    const missing = dw(['materialize', '--source', '/nonexistent']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--source /nonexistent does not exist');

    const file = dw(['materialize', '--source', path.join(DEFAULT_SOURCE_DIR, 'olist_orders_dataset.csv')]);
    expect(file.code).toBe(2);
    expect(file.stderr).toContain('is a file, not a directory');

    const partial = fs.mkdtempSync(path.join(os.tmpdir(), 'dw-partial-'));
    fs.copyFileSync(path.join(DEFAULT_SOURCE_DIR, 'olist_orders_dataset.csv'), path.join(partial, 'olist_orders_dataset.csv'));
    const lacking = dw(['backfill', '--source', partial]);
    fs.rmSync(partial, { recursive: true });
    expect(lacking.code).toBe(2);
    expect(lacking.stderr).toContain('lacks 8 of the nine Olist files: olist_order_items_dataset.csv');
  });

  it('when no run has started yet, then the usage errors above left no workflow behind', async () => {
    expect(await runsOnQueue()).toEqual([]);
  });

  it('when two materializes with different sources start at once, then one runs and the other exits 2 naming it', async () => {
    const [a, b] = await Promise.all([
      dwAsync(env, ['materialize', '--select', 'raw/* staging/*', '--json']),
      dwAsync(env, ['materialize', '--select', 'raw/* staging/*', '--source', otherSource, '--json']),
    ]);
    const codes = [a.code, b.code].sort();
    expect(codes, a.stderr + b.stderr + a.stdout.slice(-2000) + b.stdout.slice(-2000)).toEqual([0, 2]);
    const [winner, refused] = a.code === 0 ? [a, b] : [b, a];
    const ids = await runsOnQueue();
    expect(ids).toHaveLength(1);
    expect(refused.stderr).toContain(`run ${ids[0]} is reading another source`);
    expect(JSON.parse(winner.stdout).status).toBe('success');
  });

  it('when --partition names a month the data does not have, then dw exits 2 unless --allow-new-partition', () => {
    expect(dw(['materialize', '--select', '+domain/sales/orders', '--json']).code).toBe(0);
    const r = dw(['materialize', '--select', 'domain/sales/orders', '--partition', '1999-01']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--partition 1999-01 is not a month of the data (the data's months are 2016-10 … 2018-10)");
    expect(r.stderr).toContain('--allow-new-partition');
    const known = dw(['materialize', '--select', 'domain/sales/orders', '--partition', '2017-03', '--json']);
    expect(known.code, known.stderr).toBe(0);
  });
});
