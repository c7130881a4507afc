// The append side of the audit log (audit.events), for the CLI and the worker alike: one event through audit.append,
// the only way in (it computes the keyed hash chain under a lock), then the new head anchored outside the database.
// The audit key (32 random bytes, a 0600 file outside the database) goes to audit.append as a parameter only: never
// stored, never logged, in no error message. docs/security.md has the threat model.
import { spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from './config';
import type { Pool } from './db';
import { logger } from './logger';
import { createSecretFile } from './secrets';

export interface AuditEvent {
  action: string;
  phase: 'start' | 'end' | 'event';
  outcome?: 'ok' | 'failed' | 'refused';
  runId?: string;
  detail?: Record<string, unknown>;
  /** Default: this process's OS user. */
  osUser?: string;
  /** Default: this host. */
  host?: string;
}

/** A head of the chain as anchored outside the database after an append (infra/audit-log.ts). */
export interface Anchor {
  /** The chain's database as CHAIN_DB_SQL names it. */
  db: string;
  id: number;
  /** Events in the table right after that append. */
  count: number;
  hash: string;
  at?: string;
  /** The audit key's id (keyId), to tell a wrong key file from a rewritten row. */
  key?: string;
}

/** A short public id of an audit key (it says which key, never the key). */
export function keyId(key: Buffer): string {
  return createHmac('sha256', key).update('dw audit key id').digest('hex').slice(0, 16);
}

/** Who: the OS user (and the one behind sudo); from where: the host. The Temporal memo's startedBy says the same. */
export const identity = () => ({ osUser: os.userInfo().username, host: os.hostname(), sudoUser: process.env.SUDO_USER });

/**
 * The database a chain lives in, as anchors name it: its name and its server's port, so that two clusters on one host
 * with a database of the same name (a test's private cluster beside the embedded one) never read each other's heads.
 */
export const CHAIN_DB_SQL = `current_database() || '@' || current_setting('port')`;

/**
 * Appends one event (hash chain under a lock), then anchors the new head outside the database; returns its id. A backfill's
 * child runs (hundreds a backfill) append without an anchor of their own: the next anchored head (the backfill's end,
 * the next command) covers them, as the chain links every event to the one before.
 */
export async function appendAudit(pool: Pool, e: AuditEvent, opts: { anchor: boolean } = { anchor: true }): Promise<number> {
  const config = loadConfig();
  const key = await auditKey(config.auditKeyFile, true);
  const who = identity();
  const detail = { ...e.detail, ...(who.sudoUser ? { sudoUser: who.sudoUser } : {}) };
  const r = await pool.query(
    `SELECT a.event_id AS id, a.event_hash AS hash, a.events AS count, ${CHAIN_DB_SQL} AS db
       FROM audit.append($1, $2, $3, $4, $5, $6, $7, $8) a`,
    [key, e.osUser ?? who.osUser, e.host ?? who.host, e.action, e.phase, e.outcome ?? null, e.runId ?? null, JSON.stringify(detail)],
  );
  const row = r.rows[0] as { id: number | string; hash: string; count: number | string; db: string };
  const head: Anchor = {
    db: row.db,
    id: Number(row.id),
    count: Number(row.count),
    hash: row.hash,
    at: new Date().toISOString(),
    key: keyId(key),
  };
  if (opts.anchor) anchor(head, config.auditAnchors);
  return head.id;
}

// ---- the key ----

const keys = new Map<string, Buffer>();

export class AuditKeyMissing extends Error {}

/**
 * The audit key in `file` ({"key": "<64 hex>"}, 0600). Created (exclusively, 32 random bytes) on first use when
 * `create`; otherwise a missing file is an AuditKeyMissing error naming it and the fix.
 */
export async function auditKey(file: string, create: boolean): Promise<Buffer> {
  const cached = keys.get(file);
  if (cached) return cached;
  let key = readKey(file);
  if (!key && create) {
    createSecretFile(file, { key: randomBytes(32).toString('hex'), created: new Date().toISOString() }, 0o700);
    // Made here or by a concurrent first append: read what the file holds once it is complete.
    for (let i = 0; !key && i < 100; i++) {
      key = readKey(file, true);
      if (!key) await new Promise((res) => setTimeout(res, 20));
    }
  }
  if (!key) {
    throw new AuditKeyMissing(
      `the audit key file ${file} does not exist: it holds the key the audit log's hashes were made with (DW_AUDIT_KEY_FILE). ` +
        'Restore it from its backup (or point DW_AUDIT_KEY_FILE at it); a new key cannot verify the events already written',
    );
  }
  keys.set(file, key);
  return key;
}

/** The key, or undefined when the file does not exist (or, `partial`, is still being written). */
function readKey(file: string, partial = false): Buffer | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`cannot read the audit key file ${file}: ${(err as NodeJS.ErrnoException).code} (run dw as the user who owns it)`);
  }
  let hex: unknown;
  try {
    hex = (JSON.parse(text) as { key?: unknown }).key;
  } catch {
    hex = undefined;
  }
  if (typeof hex === 'string' && /^[0-9a-f]{64}$/.test(hex)) return Buffer.from(hex, 'hex');
  if (partial && text.length < 20) return undefined;
  throw new Error(`the audit key file ${file} is not {"key": "<64 hex digits>"}: restore it from its backup`);
}

// ---- the anchor ----

const warned = new Set<string>();

/**
 * Writes the head as one JSON line to every destination: a file (O_APPEND, synced; a failure throws, so the command
 * fails as when the database append fails), `syslog` (logger -t dw-audit) or `journal` (systemd-cat -t dw-audit); those
 * two are best effort and never fail the command.
 */
export function anchor(head: Anchor, destinations: readonly string[]): void {
  const line = JSON.stringify(head);
  for (const d of destinations) {
    if (d === 'syslog') toSystemLog('logger', ['-t', 'dw-audit', '--', line]);
    else if (d === 'journal') toSystemLog('systemd-cat', ['-t', 'dw-audit', 'echo', line]);
    else appendLine(d, line, head.id);
  }
}

function appendLine(file: string, line: string, id: number): void {
  let fd: number | undefined;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_CREAT, 0o600);
    fs.writeSync(fd, `${line}\n`);
    fs.fdatasyncSync(fd);
  } catch (err) {
    throw new Error(
      `audit event ${id} was written but its anchor could not be appended to ${file} (${(err as Error).message}): fix the file's permissions or DW_AUDIT_ANCHOR`,
    );
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function toSystemLog(program: string, args: string[]): void {
  try {
    const child = spawn(program, args, { stdio: 'ignore', detached: true });
    child.on('error', () => {
      if (!warned.has(program)) logger('audit').debug('no system log for the audit anchor', { program });
      warned.add(program);
    });
    child.unref();
  } catch {
    /* best effort */
  }
}

/** The anchor files among the destinations (syslog and journal cannot be read back here). */
export const anchorFiles = (destinations: readonly string[]): string[] => destinations.filter((d) => d !== 'syslog' && d !== 'journal');
