// The append side of the audit log (audit.events), for the CLI and the worker alike: one event through audit.append,
// the only way in (it computes the hash chain under a lock).
import os from 'node:os';
import type { Pool } from './db';

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

/** Who: the OS user (and the one behind sudo); from where: the host. The Temporal memo's startedBy says the same. */
export const identity = () => ({ osUser: os.userInfo().username, host: os.hostname(), sudoUser: process.env.SUDO_USER });

/** Appends one event (hash chain under a lock), then anchors the new head outside the database; returns its id. */
export async function appendAudit(pool: Pool, e: AuditEvent): Promise<number> {
  const who = identity();
  const detail = { ...e.detail, ...(who.sudoUser ? { sudoUser: who.sudoUser } : {}) };
  const r = await pool.query('SELECT audit.append($1, $2, $3, $4, $5, $6, $7) AS id', [
    e.osUser ?? who.osUser,
    e.host ?? who.host,
    e.action,
    e.phase,
    e.outcome ?? null,
    e.runId ?? null,
    JSON.stringify(detail),
  ]);
  return Number(r.rows[0].id);
}
