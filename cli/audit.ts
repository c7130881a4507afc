// dw audit list|verify, and the audit trail of every command that changes something: an event at its start (who,
// from where, the command and its arguments, selection, source directory with its files' hashes) and one at its end.
import fs from 'node:fs';
import path from 'node:path';
import { CommanderError, type Command } from 'commander';
import { SelectionError } from '../assets';
import { type Anchor, type AuditEvent, CHAIN_DB_SQL, anchorFiles, appendAudit, auditKey, keyId } from '../infra/audit-log';
import { loadConfig } from '../infra/config';
import { createPool } from '../infra/db';
import * as services from '../infra/services';
import { type ChainRow, KEYED, type Verdict, checkAnchors, parseAnchors, verifyChain } from './audit-chain';
import { runsStarted } from './audit-runs';
import { jsonOption, print, withPool } from './command';
import { UsageError, table } from './output';
import { sourceFileHashes } from './source';

/** Commands (path below `dw`) that change the warehouse, its runs or its schedules: each is audited. */
export const AUDITED = new Set([
  'materialize',
  'backfill',
  'backfill cancel',
  'cancel',
  'rollback',
  'replay',
  'quarantine replay',
  'quarantine revalidate',
  'schedule create',
  'schedule delete',
  'schedule pause',
  'schedule unpause',
  'schedule trigger',
  'keys rotate',
  'token issue',
]);

export type { AuditEvent } from '../infra/audit-log';
export { identity } from '../infra/audit-log';

/** Appends one event through infra/audit-log.ts's appendAudit, on a connection of its own; returns its id. */
export async function audit(e: AuditEvent, databaseUrl = loadConfig().databaseUrl): Promise<number> {
  const pool = createPool(databaseUrl, 1);
  try {
    return await appendAudit(pool, e);
  } finally {
    await pool.end();
  }
}

let current: { action: string; startId: number; started: number } | undefined;

const pathOf = (cmd: Command): string => {
  const names: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
};

async function start(cmd: Command): Promise<void> {
  const action = pathOf(cmd);
  if (!AUDITED.has(action)) return;
  const opts = cmd.opts();
  const detail: Record<string, unknown> = { args: process.argv.slice(2), operands: cmd.args, cwd: process.cwd() };
  for (const k of ['select', 'partition', 'from', 'to', 'name', 'cron', 'version']) if (opts[k] !== undefined) detail[k] = opts[k];
  if (cmd.options.some((o) => o.long === '--source')) {
    const dir = String(opts.source ?? loadConfig().sourceDir);
    detail.source = { dir, files: await sourceFileHashes(dir).catch((err: Error) => ({ unreadable: err.message })) };
  }
  if (loadConfig().embeddedDatabase) await services.up({ worker: false });
  try {
    current = { action, startId: await audit({ action, phase: 'start', detail }), started: Date.now() };
  } catch (err) {
    throw new Error(
      `cannot write the audit event of dw ${action} (${(err as Error).message}), so it did not run: check the database with dw status`,
    );
  }
}

async function end(outcome: 'ok' | 'failed' | 'refused', extra: Record<string, unknown>): Promise<void> {
  if (!current) return;
  const { action, startId, started } = current;
  current = undefined;
  await audit({
    action,
    phase: 'end',
    outcome,
    runId: runsStarted().join(', ') || undefined,
    detail: { startId, durationMs: Date.now() - started, ...extra },
  }).catch((err: Error) => process.stderr.write(`dw: the audit event of this command's end could not be written: ${err.message}\n`));
}

/** A command that threw: its end event says refused (a usage error, exit 2) or failed, with the message. Called by main(). */
export async function auditFailure(err: unknown): Promise<void> {
  const refused = err instanceof UsageError || err instanceof SelectionError || err instanceof CommanderError;
  await end(refused ? 'refused' : 'failed', { error: (err as Error).message, code: (err as { code?: string }).code });
}

/** `dw audit list|verify`, and the hooks that audit every command in AUDITED. */
export function registerAudit(program: Command): void {
  program.hook('preAction', (_program, cmd) => start(cmd));
  program.hook('postAction', () => end(process.exitCode ? 'failed' : 'ok', { exitCode: Number(process.exitCode ?? 0) }));
  const cmd = program.command('audit').description('the tamper-evident audit log: who ran what, from where, when, and how it ended');
  cmd
    .command('list', { isDefault: true })
    .description('audit events, newest first')
    .option('--since <when>', 'from this time (ISO date or time, or 24h / 7d ago)')
    .option('--who <user>', 'only this OS user')
    .option('--limit <n>', 'at most this many events', '50')
    .addOption(jsonOption())
    .action(async (opts) => {
      const rows = await withPool((pool) => listEvents(pool, { since: since(opts.since), who: opts.who, limit: Number(opts.limit) }));
      print(rows, opts.json, () =>
        table(
          rows.map((r) => [
            r.id,
            r.at,
            `${r.osUser}@${r.host}`,
            r.action,
            r.phase,
            r.outcome,
            r.runId,
            JSON.stringify(r.detail).slice(0, 80),
          ]),
          ['id', 'at', 'who', 'action', 'phase', 'outcome', 'run', 'detail'],
        ),
      );
    });
  cmd
    .command('verify')
    .description('recompute the keyed hash chain and compare it with the anchored heads; exit 1 naming the first bad event')
    .option(
      '--anchor <file>',
      'also compare with the heads in this file (a copy from syslog, the journal or a remote sink; repeatable)',
      (v: string, prev: string[]) => [...prev, v],
      [] as string[],
    )
    .addOption(jsonOption())
    .action(async (opts) => {
      const verdict = await withPool((pool) => verify(pool, opts.anchor));
      print(verdict, opts.json, () =>
        verdict.ok
          ? `audit log intact: ${verdict.events} events, last hash ${verdict.lastHash}` +
            (verdict.legacyEvents ? ` (the first ${verdict.legacyEvents} plain sha256, from before keyed hashes)` : '') +
            (verdict.anchor
              ? `; anchored head: event ${verdict.anchor.id} (${verdict.anchor.source})`
              : anchorFiles(loadConfig().auditAnchors).length || opts.anchor.length
                ? '; no head anchored yet'
                : '; no anchor file configured (DW_AUDIT_ANCHOR): a removed tail would not show')
          : `audit log broken at event ${verdict.brokenAt}: ${verdict.reason}`,
      );
      if (!verdict.ok) process.exitCode = 1;
    });
}

function since(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const rel = /^(\d+)([hd])$/.exec(v);
  if (rel) return new Date(Date.now() - Number(rel[1]) * (rel[2] === 'h' ? 3_600_000 : 86_400_000)).toISOString();
  if (Number.isNaN(Date.parse(v)))
    throw new UsageError(`--since '${v}' is neither a date/time (2026-11-29, 2026-11-29T10:00Z) nor an age (24h, 7d)`);
  return v;
}

type Pool = Parameters<Parameters<typeof withPool>[0]>[0];

// Every field as text (ordering by e.id, never by the text alias).
const SELECT_TEXT = `e.id::text AS id, to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at, e.os_user AS "osUser", e.host,
  e.db_user AS "dbUser", e.action, e.phase, e.outcome, e.run_id AS "runId"`;

export async function listEvents(pool: Pool, f: { since?: string; who?: string; limit: number }) {
  const r = await pool.query(
    `SELECT ${SELECT_TEXT}, e.detail FROM audit.events e
    WHERE ($1::timestamptz IS NULL OR e.at >= $1) AND ($2::text IS NULL OR e.os_user = $2) ORDER BY e.id DESC LIMIT $3`,
    [f.since ?? null, f.who ?? null, f.limit],
  );
  return r.rows as (Omit<ChainRow, 'detail' | 'prevHash' | 'hash'> & { detail: unknown })[];
}

/** Every event in chain order, each field as text exactly as the chain hashed it. */
export async function chainRows(pool: Pool): Promise<ChainRow[]> {
  return (
    await pool.query(
      `SELECT ${SELECT_TEXT}, e.detail::text AS detail, e.prev_hash AS "prevHash", e.hash, e.alg FROM audit.events e ORDER BY e.id`,
    )
  ).rows;
}

/**
 * `dw audit verify`: the chain recomputed with the audit key, then compared with the heads anchored in the anchor
 * files (read first: a head anchored meanwhile is in the table already). The first bad event by id is named.
 */
export async function verify(pool: Pool, extraAnchors: readonly string[] = []): Promise<Verdict> {
  const config = loadConfig();
  const db = String((await pool.query(`SELECT ${CHAIN_DB_SQL} AS db`)).rows[0].db);
  const anchors = anchorFiles(config.auditAnchors).map((file) => ({ file, heads: readAnchors(file, db) }));
  for (const file of extraAnchors) {
    const heads = readAnchors(path.resolve(file), db);
    if (!heads) throw new UsageError(`--anchor ${file}: no such file`);
    anchors.push({ file: path.resolve(file), heads });
  }
  const rows = await chainRows(pool);
  const keyed = rows.some((r) => r.alg === KEYED);
  const key = keyed ? await auditKey(config.auditKeyFile, false) : undefined;
  const chain = verifyChain(rows, key);
  const problems = anchors.flatMap(({ file, heads }) => {
    const p = heads && checkAnchors(rows, heads, file);
    return p ? [p] : [];
  });
  const first = problems.sort((a, b) => Number(a.brokenAt) - Number(b.brokenAt))[0];
  if (!chain.ok && (!first || Number(chain.brokenAt) <= Number(first.brokenAt))) {
    const anchoredKey = anchors.flatMap((a) => a.heads ?? []).find((h) => h.key)?.key;
    if (key && anchoredKey && anchoredKey !== keyId(key)) {
      return {
        ...chain,
        reason: `${chain.reason} (the key in ${config.auditKeyFile} is not the one the anchors name: is DW_AUDIT_KEY_FILE the right file?)`,
      };
    }
    return chain;
  }
  if (first) return { ok: false, events: chain.events, ...first };
  const files = anchors.filter((a) => a.heads !== undefined);
  const latest = files
    .flatMap((a) => (a.heads ?? []).map((h) => ({ source: a.file, id: h.id, hash: h.hash })))
    .reduce<{ source: string; id: number; hash: string } | undefined>((m, h) => (m && m.id >= h.id ? m : h), undefined);
  if (keyed && anchors.length && !latest) {
    return {
      ok: false,
      events: chain.events,
      brokenAt: rows[rows.length - 1]!.id,
      reason: `no head of database ${db}'s chain is anchored in ${anchors.map((a) => a.file).join(', ')}, though every keyed append anchors one: the anchor file was removed or replaced, or DW_AUDIT_ANCHOR does not name the one the log was written with`,
    };
  }
  return { ...chain, ...(latest ? { anchor: latest } : {}) };
}

/** This database's anchored heads in `file`; undefined when the file does not exist. */
function readAnchors(file: string, db: string): Anchor[] | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`cannot read the audit anchor file ${file}: ${(err as Error).message}`);
  }
  return parseAnchors(text, db);
}
