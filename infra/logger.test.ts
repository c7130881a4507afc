// The logger: lines written inside an activity's context carry its ids, across awaits and interleaved activities; the file is JSON.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type LogContext, logToFile, logger, scrubRowContents, stripRowLines, withLogContext } from './logger';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dw-logger-'));
const file = path.join(dir, 'activities-test.jsonl');
logToFile(file);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function linesOf(tag: string, count: number): Promise<Record<string, unknown>[]> {
  for (let i = 0; i < 100; i++) {
    const lines = fs.existsSync(file)
      ? fs
          .readFileSync(file, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l))
      : [];
    const mine = lines.filter((l) => l.tag === tag);
    if (mine.length >= count) return mine;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`fewer than ${count} lines tagged ${tag} in ${file}`);
}

const ctx = (n: number, asset: string, partition?: string): LogContext => ({
  workflowId: `materialize:*:all:${n}`,
  runId: `run-${n}`,
  activityId: String(n),
  activity: 'materializeAsset',
  attempt: n,
  asset,
  ...(partition ? { partition } : {}),
});

describe('logger', () => {
  it('when two activities log while interleaving awaits, then each line carries its own activity ids', async () => {
    const log = logger('test');
    const act = (n: number, asset: string, partition?: string) =>
      withLogContext(ctx(n, asset, partition), async () => {
        for (let i = 0; i < 3; i++) {
          await new Promise((r) => setTimeout(r, 5 * n));
          log.info(`step ${i}`, { tag: 'interleaved' });
        }
      });
    await Promise.all([act(1, 'staging/orders'), act(2, 'domain/sales/orders', '2017-03')]);
    const lines = await linesOf('interleaved', 6);
    expect(lines).toHaveLength(6);
    for (const l of lines) {
      const n = l.runId === 'run-1' ? 1 : 2;
      expect(l).toMatchObject({ ...ctx(n, n === 1 ? 'staging/orders' : 'domain/sales/orders'), component: 'test', level: 'info' });
      expect(l.partition).toBe(n === 1 ? undefined : '2017-03');
      expect(typeof l.timestamp).toBe('string');
    }
  });

  it('when a line names its own asset, or is written outside any activity, then the context neither overrides nor leaks', async () => {
    const log = logger('test');
    await withLogContext(ctx(3, 'dbt/fact_orders'), async () => log.info('explicit', { tag: 'explicit', asset: 'dbt/dim_date' }));
    log.info('outside', { tag: 'outside' });
    const [explicit] = await linesOf('explicit', 1);
    expect(explicit).toMatchObject({ asset: 'dbt/dim_date', runId: 'run-3', attempt: 3 });
    const [outside] = await linesOf('outside', 1);
    expect(outside).not.toHaveProperty('runId');
    expect(outside).not.toHaveProperty('asset');
  });

  it('when a PostgreSQL error with DETAIL and CONTEXT is logged, then neither reaches the file; its code and message do', async () => {
    const pgError = () =>
      Object.assign(new Error('new row for relation "reviews" violates check constraint "score"'), {
        code: '23514',
        table: 'reviews',
        detail: 'Failing row contains (r1, o1, 9, Titulo secreto, Comentario secreto).',
        where: 'COPY order_reviews, line 330: "r1,o1,9,Titulo secreto,Comentario secreto"',
        internalQuery: 'SELECT secret',
      });
    const log = logger('test');
    log.error('insert failed', {
      tag: 'pg-error',
      error: pgError(),
      detail: 'Key (id)=(secreto) already exists.',
      where: 'line 3: "secreto"',
    });
    const [line] = await linesOf('pg-error', 1);
    const text = JSON.stringify(line);
    expect(text).not.toMatch(/secret/i);
    expect(line).toMatchObject({ message: 'insert failed', level: 'error' });

    const wrapped = new Error('outer', { cause: pgError() });
    scrubRowContents(wrapped);
    const cause = wrapped.cause as Record<string, unknown>;
    expect(cause).not.toHaveProperty('detail');
    expect(cause).not.toHaveProperty('where');
    expect(cause).not.toHaveProperty('internalQuery');
    expect(cause).toMatchObject({ code: '23514', table: 'reviews' });
  });

  it("when dbt prints a PostgreSQL error with its DETAIL and CONTEXT lines, then only the error's own line is kept", () => {
    const dbt = [
      'Database Error in model stg_olist__reviews (models/staging/stg_olist__reviews.sql)',
      '  new row for relation "reviews" violates check constraint "score"',
      '  DETAIL:  Failing row contains (r1, o1, 9, Comentario secreto).',
      '  CONTEXT:  SQL statement "INSERT …"',
      '  compiled code at target/run/olist_warehouse/models/staging/stg_olist__reviews.sql',
    ].join('\n');
    const kept = stripRowLines(dbt);
    expect(kept).not.toMatch(/secreto|INSERT/);
    expect(kept).toContain('violates check constraint "score"');
    expect(kept).toContain('compiled code at');
  });
});
