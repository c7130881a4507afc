// The tamper-evident audit log (migrations 0009_security, 0013_audit_keyed): rows are added only by audit.append(),
// chained by HMAC-SHA-256 with a key kept outside the database (infra/audit-log.ts).
import { bigint, index, jsonb, pgSchema, text, timestamp } from 'drizzle-orm/pg-core';

export const audit = pgSchema('audit');

export const auditEvents = audit.table(
  'events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true, mode: 'string' }).notNull(),
    /** Who: the OS user (or, for the API, the JWT subject). */
    osUser: text('os_user').notNull(),
    host: text('host').notNull(),
    /** The PostgreSQL role of the session that appended the row. */
    dbUser: text('db_user').notNull(),
    /** What: the command (`materialize`, `schedule create`, …). */
    action: text('action').notNull(),
    /** 'start' then 'end' for a command; 'event' for a one-off (a refusal, a reveal). */
    phase: text('phase').notNull(),
    /** ok | failed | refused; null at a command's start. */
    outcome: text('outcome'),
    runId: text('run_id'),
    /** Arguments, selection, partition, source directory with its files' hashes, error. */
    detail: jsonb('detail').notNull().default({}),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
    /** 'hmac-sha256' (keyed); 'sha256' for rows written before 0013_audit_keyed, only before the first keyed row. */
    alg: text('alg').notNull(),
  },
  (t) => [index('events_at_idx').on(t.at), index('events_os_user_idx').on(t.osUser, t.at)],
);
