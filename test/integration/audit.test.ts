// The audit log under a day of commands, then under attack: the chain verifies, the worker cannot rewrite it, and an
// owner who disables the trigger to change a row is caught at that row. A source outside the allowed roots is refused.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workerUrlFor } from '../../infra/config';
import { connectClient } from '../../infra/db';
import { audit } from '../../cli/audit';
import { dw as run, stopCliWorker } from '../support/cli';
import { createTestEnv, type TestEnv } from '../support/env';
import { SAMPLE_DIR, copySource } from '../support/fixtures';

let env: TestEnv;
let source: string;
const dw = (args: string[]) => run(env, args, 500_000); // a first command parses the dbt project: minutes on a busy machine
const me = os.userInfo().username;

interface Listed {
  id: string;
  action: string;
  phase: string;
  outcome: string | null;
  osUser: string;
  host: string;
  runId: string | null;
  detail: Record<string, unknown>;
}
const list = (): Listed[] => JSON.parse(dw(['audit', 'list', '--json', '--who', me, '--limit', '100']).stdout);

beforeAll(async () => {
  // No in-process worker: dw (spawned synchronously) starts its own worker process for the env's task queue.
  env = await createTestEnv('audit');
  source = copySource();
}, 120_000);

afterAll(async () => {
  stopCliWorker(env);
  await env?.close();
  fs.rmSync(source, { recursive: true, force: true });
});

describe('the audit log', () => {
  const schedule = `audit-test-${process.pid}`;

  it('when a day of commands has run, then each changing command has a start and an end event with who, where, what and how it ended, and the chain verifies', () => {
    expect(dw(['materialize', '--select', 'raw/orders', '--source', source]).code).toBe(0);
    const refused = dw(['materialize', '--select', 'raw/orders', '--source', '/etc']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/outside the allowed source roots/);
    for (const args of [
      ['create', schedule, '--cron', '0 3 * * *', '--select', 'raw/orders', '--paused'],
      ['unpause', schedule],
      ['delete', schedule],
    ]) {
      expect(dw(['schedule', ...args]).code).toBe(0);
    }
    expect(dw(['audit', 'list']).code).toBe(0); // reads only: not audited

    const all = list().reverse();
    // The worker audits the runs it executes (same OS user here): the commands' events, then the run's own.
    const events = all.filter((e) => !e.action.startsWith('run '));
    expect(all.filter((e) => e.action === 'run materializeWorkflow').map((e) => `${e.phase}:${e.outcome ?? ''}`)).toEqual([
      'start:',
      'end:ok',
    ]);
    expect(events.map((e) => `${e.action}:${e.phase}:${e.outcome ?? ''}`)).toEqual([
      'materialize:start:',
      'materialize:end:ok',
      'materialize:start:',
      'materialize:end:refused',
      ...['create', 'unpause', 'delete'].flatMap((v) => [`schedule ${v}:start:`, `schedule ${v}:end:ok`]),
    ]);
    expect(new Set(events.map((e) => `${e.osUser}@${e.host}`))).toEqual(new Set([`${me}@${os.hostname()}`]));
    const [start, end] = events;
    expect(start?.detail).toMatchObject({ args: ['materialize', '--select', 'raw/orders', '--source', source], select: 'raw/orders' });
    const files = (start?.detail.source as { dir: string; files: Record<string, string> }).files;
    expect(files['olist_orders_dataset.csv']).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.keys(files)).toHaveLength(9);
    expect(end?.runId).toMatch(/materialize:raw\/orders/);
    expect(events[3]?.detail).toMatchObject({ code: 'SOURCE.OUTSIDE_ROOTS' });

    const verify = dw(['audit', 'verify']);
    expect(verify.stdout).toMatch(new RegExp(`audit log intact: ${all.length} events`));
    expect(verify.code).toBe(0);
  }, 900_000); // nine dw processes, each starting tsx: minutes on a busy 2-core machine

  it('when dw_worker tries to change, remove or empty the log, then each is refused; it may only append through the function', async () => {
    const worker = await connectClient(workerUrlFor(env.databaseUrl));
    try {
      for (const sql of [
        'UPDATE audit.events SET outcome = NULL',
        'DELETE FROM audit.events',
        'TRUNCATE audit.events',
        'ALTER TABLE audit.events DISABLE TRIGGER USER',
      ]) {
        expect(
          await worker.query(sql).then(
            () => 'ran',
            (e) => e.code,
          ),
          sql,
        ).toMatch(/42501|42883/);
      }
    } finally {
      await worker.end();
    }
    expect(await audit({ action: 'test append', phase: 'event', outcome: 'ok' }, workerUrlFor(env.databaseUrl))).toBeGreaterThan(0);
    expect(dw(['audit', 'verify']).code).toBe(0);
  });

  it('when the owner changes a row, then the trigger refuses it; when it disables the trigger and changes a row, then verify names that row', async () => {
    const target = list().find((e) => e.action === 'materialize' && e.outcome === 'refused');
    expect(target).toBeDefined();
    const update = `UPDATE audit.events SET outcome = 'ok', detail = detail - 'error' WHERE id = ${target?.id}`;
    expect(
      await env.pool.query(update).then(
        () => 'ran',
        (e) => e.code,
      ),
    ).toBe('42501');
    await env.pool.query('ALTER TABLE audit.events DISABLE TRIGGER events_append_only');
    await env.pool.query(update);
    await env.pool.query('ALTER TABLE audit.events ENABLE TRIGGER events_append_only');

    const verify = dw(['audit', 'verify', '--json']);
    expect(verify.code).toBe(1);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: false, brokenAt: target?.id });
    expect(dw(['audit', 'verify']).stdout).toMatch(new RegExp(`broken at event ${target?.id}: its content does not match its hash`));
  });
});

describe('the source allow-list in the worker', () => {
  it('when a run is started (not through dw) with a source outside the roots, or one whose file links outside, then the extract refuses it', async () => {
    const outside = await env.materialize({ selection: 'raw/orders', sourceDir: '/etc' });
    expect(JSON.stringify(outside)).toMatch(/outside the allowed source roots/);
    const linked = fs.mkdtempSync(path.join(os.tmpdir(), 'dw-src-link-'));
    try {
      for (const f of fs.readdirSync(SAMPLE_DIR)) fs.symlinkSync(path.join(SAMPLE_DIR, f), path.join(linked, f));
      fs.rmSync(path.join(linked, 'olist_orders_dataset.csv'));
      fs.symlinkSync('/etc/passwd', path.join(linked, 'olist_orders_dataset.csv'));
      const s = await env.materialize({ selection: 'raw/orders', sourceDir: linked });
      expect(JSON.stringify(s)).toMatch(/leads to \/etc\/passwd, outside the allowed source roots/);
    } finally {
      fs.rmSync(linked, { recursive: true, force: true });
    }
  });
});
