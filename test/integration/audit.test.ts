// The audit log under a day of commands, then under attack: the chain verifies, the worker cannot rewrite it, and an
// owner who disables the trigger to change a row is caught at that row, also when it recomputes every later hash
// (without the key file it cannot make them right), and so is a removed tail (the head is anchored outside the
// database). A source outside the allowed roots is refused.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { STATE_DIR, workerUrlFor } from '../../infra/config';
import { connectClient } from '../../infra/db';
import { audit } from '../../cli/audit';
import { dw as run, stopCliWorker } from '../support/cli';
import { createTestEnv, type TestEnv } from '../support/env';
import { SAMPLE_DIR, copySource } from '../support/fixtures';

// This file's own audit key and anchor file (the dw processes it spawns inherit them): set before anything reads the config.
const auditFiles = vi.hoisted(() => {
  const dir = `${process.env.TMPDIR ?? '/tmp'}/dw-audit-test-${process.pid}-${Date.now()}`;
  const f = { dir, key: `${dir}/audit-key`, anchor: `${dir}/audit-anchor.log` };
  process.env.DW_AUDIT_KEY_FILE = f.key;
  process.env.DW_AUDIT_ANCHOR = `${f.anchor},syslog`;
  return f;
});

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
  fs.rmSync(auditFiles.dir, { recursive: true, force: true });
});

/** The owner's SQL with the append-only trigger disabled (as dw_owner may: it owns the table). */
async function untriggered(...statements: [string, unknown[]?][]): Promise<void> {
  await env.pool.query('ALTER TABLE audit.events DISABLE TRIGGER events_append_only');
  try {
    for (const [sql, values] of statements) await env.pool.query(sql, values);
  } finally {
    await env.pool.query('ALTER TABLE audit.events ENABLE TRIGGER events_append_only');
  }
}

/** The table as it is, and how to put it back (so that each attack starts from the intact chain). */
async function snapshot(): Promise<() => Promise<void>> {
  const rows = (await env.pool.query('SELECT to_jsonb(e) AS r FROM audit.events e ORDER BY id')).rows.map((r) => r.r);
  return () =>
    untriggered(
      ['DELETE FROM audit.events'],
      ['INSERT INTO audit.events SELECT * FROM jsonb_populate_recordset(NULL::audit.events, $1)', [JSON.stringify(rows)]],
    );
}

/** What an owner without the key file does after changing event `from`: every hash from it on (before `before`) recomputed with `hash`. */
const recompute = (from: string, hash: (canonical: string) => string, alg = 'alg', before = 'NULL') => `DO $$
DECLARE r record; v_prev text; v_hash text;
BEGIN
  SELECT e.hash INTO v_prev FROM audit.events e WHERE e.id < ${from} ORDER BY e.id DESC LIMIT 1;
  v_prev := coalesce(v_prev, repeat('0', 64));
  FOR r IN SELECT * FROM audit.events e WHERE e.id >= ${from} AND (${before} IS NULL OR e.id < ${before}) ORDER BY e.id LOOP
    v_hash := ${hash(`audit.canonical(r.id, r.at, r.os_user, r.host, r.db_user, r.action, r.phase, r.outcome, r.run_id, r.detail, v_prev)`)};
    UPDATE audit.events SET prev_hash = v_prev, hash = v_hash, alg = ${alg} WHERE id = r.id;
    v_prev := v_hash;
  END LOOP;
END $$`;
const sha256 = (c: string) => `encode(sha256(convert_to(${c}, 'UTF8')), 'hex')`;
const otherKey = randomBytes(32).toString('hex');
const hmacOtherKey = (c: string) => `encode(pii.hmac(convert_to(${c}, 'UTF8'), '\\x${otherKey}'::bytea, 'sha256'), 'hex')`;

/** Every event id in chain order. */
const allIds = async (): Promise<string[]> =>
  (await env.pool.query('SELECT e.id::text AS id FROM audit.events e ORDER BY e.id')).rows.map((r) => r.id);

const verifyJson = () => {
  const r = dw(['audit', 'verify', '--json']);
  return { code: r.code, verdict: JSON.parse(r.stdout || '{}') as { ok: boolean; brokenAt?: string; reason?: string } };
};

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
    expect(verify.stdout).toMatch(new RegExp(`anchored head: event ${all.at(-1)?.id} \\(${auditFiles.anchor}\\)`));
    expect(verify.code).toBe(0);

    // Every append anchored its head (id, count, hash) in this file's anchor file; the key file is 0600, its key in no log.
    const anchors = fs
      .readFileSync(auditFiles.anchor, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(anchors.map((a) => String(a.id))).toEqual(all.map((e) => e.id));
    expect(anchors.at(-1)).toMatchObject({ count: all.length, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(fs.statSync(auditFiles.key).mode & 0o777).toBe(0o600);
    expect(fs.statSync(auditFiles.anchor).mode & 0o777).toBe(0o600);
    const key = (JSON.parse(fs.readFileSync(auditFiles.key, 'utf8')) as { key: string }).key;
    for (const f of fs.readdirSync(path.join(STATE_DIR, 'logs'))) {
      expect(fs.readFileSync(path.join(STATE_DIR, 'logs', f), 'utf8'), f).not.toContain(key);
    }
    expect(fs.readFileSync(auditFiles.anchor, 'utf8')).not.toContain(key);
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
    const restore = await snapshot();
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
    await restore();
    expect(verifyJson()).toMatchObject({ code: 0, verdict: { ok: true } });
  });

  it("when the owner edits an event's os_user and outcome and recomputes every later hash (sha256, or HMAC with a key of its own), then verify names that event", async () => {
    const target = list().find((e) => e.action === 'materialize' && e.outcome === 'refused');
    expect(target).toBeDefined();
    const restore = await snapshot();
    const edit = `UPDATE audit.events SET os_user = 'someone-else', outcome = 'ok' WHERE id = ${target?.id}`;
    for (const [name, recomputed] of [
      ['sha256', recompute(target!.id, sha256)],
      ['HMAC with another key', recompute(target!.id, hmacOtherKey)],
      ['sha256, marked legacy', recompute(target!.id, sha256, "'sha256'")],
    ] as const) {
      await untriggered([edit], [recomputed]);
      const { code, verdict } = verifyJson();
      expect(code, name).toBe(1);
      expect(verdict, name).toMatchObject({ ok: false, brokenAt: target?.id });
      await restore();
    }
  });

  it('when the owner deletes the last two events, then verify names the truncation from the anchored head', async () => {
    const [kept, gone, last] = (await allIds()).slice(-3);
    await untriggered([`DELETE FROM audit.events WHERE id >= ${gone}`]);
    const { code, verdict } = verifyJson();
    expect(code).toBe(1);
    expect(verdict).toMatchObject({ ok: false, brokenAt: gone });
    const human = dw(['audit', 'verify']);
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(
      new RegExp(
        `broken at event ${gone}: events after ${kept} were removed: the anchor at ${auditFiles.anchor} says the head was event ${last} with hash [0-9a-f]{12}`,
      ),
    );
  });

  it('when an OS user with the key file also rewrites the local anchor file, then only a copy out of their reach (syslog, a remote sink) shows it', async () => {
    // Continues from the removed tail: a copy of the heads as syslog holds them, then the local anchor file made to match.
    const remote = path.join(auditFiles.dir, 'syslog-copy.log');
    const lines = fs.readFileSync(auditFiles.anchor, 'utf8').trim().split('\n');
    fs.writeFileSync(remote, lines.map((l) => `Dec  8 01:00:00 ${os.hostname()} dw-audit: ${l}\n`).join(''));
    const kept = (await allIds()).at(-1);
    const local = lines.filter((l) => (JSON.parse(l) as { id: number }).id <= Number(kept));
    fs.writeFileSync(auditFiles.anchor, `${local.join('\n')}\n`);
    expect(verifyJson()).toMatchObject({ code: 0, verdict: { ok: true } });
    const r = dw(['audit', 'verify', '--anchor', remote]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`events after ${kept} were removed: the anchor at ${remote} says the head was event`));
  });

  it('when the audit key file is missing, then verify says which file and how to fix it', () => {
    const saved = process.env.DW_AUDIT_KEY_FILE;
    process.env.DW_AUDIT_KEY_FILE = path.join(auditFiles.dir, 'elsewhere');
    try {
      const r = dw(['audit', 'verify']);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`the audit key file ${auditFiles.dir}/elsewhere does not exist.*Restore it from its backup`));
    } finally {
      process.env.DW_AUDIT_KEY_FILE = saved;
    }
  });
});

describe('the upgrade from the plain sha256 chain (0009) to the keyed one (0013)', () => {
  it('when an install has plain rows, then they verify before the first keyed row, which seals them against a recomputed rewrite', async () => {
    // What 0013 leaves on an existing install: rows with alg 'sha256' (made here as 0009's audit.append made them).
    await untriggered(
      ['DELETE FROM audit.events'],
      [
        `DO $$ DECLARE v_prev text := repeat('0', 64); v_id bigint; v_at timestamptz; BEGIN
          FOR i IN 1..2 LOOP
            v_id := nextval('audit.events_id_seq'); v_at := clock_timestamp();
            INSERT INTO audit.events (id, at, os_user, host, db_user, action, phase, outcome, run_id, detail, prev_hash, hash, alg)
            VALUES (v_id, v_at, 'legacy', 'old-host', session_user, 'materialize', 'event', 'ok', NULL, '{}', v_prev,
                    ${sha256(`audit.canonical(v_id, v_at, 'legacy', 'old-host', session_user, 'materialize', 'event', 'ok', NULL, '{}', v_prev)`)}, 'sha256')
            RETURNING hash INTO v_prev;
          END LOOP; END $$`,
      ],
    );
    const keyed = String(await audit({ action: 'test after upgrade', phase: 'event', outcome: 'ok' }, env.databaseUrl));
    // The anchor file of an upgraded install holds only heads written since.
    fs.writeFileSync(auditFiles.anchor, `${fs.readFileSync(auditFiles.anchor, 'utf8').trim().split('\n').at(-1)}\n`);
    const human = dw(['audit', 'verify']);
    expect(human.stdout).toMatch(/audit log intact: 3 events, last hash [0-9a-f]{64} \(the first 2 plain sha256/);
    expect(human.code).toBe(0);

    const [first] = await allIds();
    await untriggered([`UPDATE audit.events SET outcome = 'failed' WHERE id = ${first}`], [recompute(first!, sha256, "'sha256'", keyed)]);
    expect(verifyJson()).toMatchObject({ code: 1, verdict: { ok: false, brokenAt: keyed, reason: expect.stringMatching(/prev_hash/) } });
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
