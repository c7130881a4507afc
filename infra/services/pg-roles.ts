// Least privilege on the embedded cluster: the login roles and their passwords, pg_hba.conf with scram-sha-256, and
// the upgrade of a database whose objects the superuser owns (clusters made before roles) to the owner role.
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { Secrets } from '../secrets';

/** The only lines of pg_hba.conf: every connection, socket or loopback TCP, proves its password. */
export const HBA = `# dw embedded cluster: every role authenticates with its password (.dw/secrets); nothing is trusted.
local   all   all                  scram-sha-256
host    all   all   127.0.0.1/32   scram-sha-256
host    all   all   ::1/128        scram-sha-256
`;

/** The application roles: none is a superuser, none may create roles or databases, none bypasses row-level security. */
const APP_ROLES = ['dw_owner', 'dw_worker', 'dw_reader', 'dw_auditor'] as const;
const SAFE = 'NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS';
/** Serializes role set-up between concurrent `dw up`s and test runs (tuple concurrently updated otherwise). */
const ROLES_LOCK = 0x64770009;

/** True when pg_hba.conf still has a rule other than scram-sha-256 (a cluster made with --auth=trust). */
export function hbaNeedsUpgrade(dataDir: string): boolean {
  const rules = fs
    .readFileSync(path.join(dataDir, 'pg_hba.conf'), 'utf8')
    .split('\n')
    .map((l) => l.replace(/#.*/, '').trim())
    .filter(Boolean);
  return rules.some((l) => l.split(/\s+/).at(-1) !== 'scram-sha-256');
}

export function writeHba(dataDir: string): void {
  const file = path.join(dataDir, 'pg_hba.conf');
  const tmp = `${file}.dw-tmp`;
  fs.writeFileSync(tmp, HBA, { mode: 0o600 });
  const st = fs.statSync(file);
  fs.chownSync(tmp, st.uid, st.gid);
  fs.renameSync(tmp, file);
}

/**
 * As the superuser on the `postgres` database: creates the application roles that are missing, gives every role
 * without a password its password from the secrets, makes the owner a member of dw_worker (so that migrations can
 * hand the relations the pipeline rewrites to the worker, and the CLI may act on them). Idempotent.
 */
export async function ensureRoles(admin: pg.Client, secrets: Secrets): Promise<void> {
  await admin.query('SELECT pg_advisory_lock($1)', [ROLES_LOCK]);
  try {
    for (const role of APP_ROLES) {
      const found = await admin.query(
        `SELECT rolpassword IS NOT NULL AS has_password,
          rolcanlogin AND NOT (rolsuper OR rolcreatedb OR rolcreaterole OR rolreplication OR rolbypassrls) AS safe FROM pg_authid WHERE rolname = $1`,
        [role],
      );
      const verb = found.rowCount === 0 ? 'CREATE' : found.rows[0].has_password ? undefined : 'ALTER';
      const pw = pg.escapeLiteral(secrets[role]);
      if (verb) await admin.query(`${verb} ROLE ${role} LOGIN ${SAFE} PASSWORD ${pw}`);
      else if (!found.rows[0].safe) await admin.query(`ALTER ROLE ${role} LOGIN ${SAFE}`);
    }
    const admins = await admin.query(`SELECT rolpassword IS NOT NULL AS has_password FROM pg_authid WHERE rolname = current_user`);
    if (!admins.rows[0].has_password) await admin.query(`ALTER ROLE CURRENT_USER PASSWORD ${pg.escapeLiteral(secrets.dw)}`);
    const member = await admin.query(`SELECT pg_has_role('dw_owner', 'dw_worker', 'MEMBER') AS m`);
    if (!member.rows[0].m) await admin.query('GRANT dw_worker TO dw_owner');
  } finally {
    await admin.query('SELECT pg_advisory_unlock($1)', [ROLES_LOCK]);
  }
}

/** Schemas that migrations create (owned by the owner role); every other application schema is dbt's (owned by dw_worker). */
const MIGRATION_SCHEMAS = [
  'drizzle',
  'raw',
  'staging',
  'dw_meta',
  'quarantine',
  'customer',
  'events',
  'fulfillment',
  'marketplace',
  'sales',
  'dw_versions',
  'quality',
  'audit',
];

/**
 * A database made before the roles: everything the superuser owns outside the system schemas goes to dw_owner
 * (the migrations' schemas and tables) or dw_worker (dbt's schemas and relations, and the kept versions), and the
 * database to dw_owner. Migration 0009 then grants the worker what it needs. One transaction; a no-op when done.
 */
export async function adoptDatabase(db: pg.Client): Promise<boolean> {
  const owned = await db.query(
    `SELECT 1 FROM pg_namespace WHERE nspowner = 'dw'::regrole AND nspname NOT IN ('public', 'information_schema') AND nspname NOT LIKE 'pg\\_%' LIMIT 1`,
  );
  if (owned.rowCount === 0) return false;
  await db.query('BEGIN');
  try {
    await db.query(
      `DO $$
DECLARE r record; migration text[] := $1;
BEGIN
  EXECUTE format('ALTER DATABASE %I OWNER TO dw_owner', current_database());
  FOR r IN SELECT n.nspname FROM pg_namespace n WHERE n.nspowner = 'dw'::regrole AND n.nspname NOT IN ('public', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%' LOOP
    EXECUTE format('ALTER SCHEMA %I OWNER TO %I', r.nspname, CASE WHEN r.nspname = ANY(migration) THEN 'dw_owner' ELSE 'dw_worker' END);
  END LOOP;
  FOR r IN SELECT n.nspname, c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relowner = 'dw'::regrole AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S') AND n.nspname NOT IN ('information_schema') AND n.nspname NOT LIKE 'pg\\_%'
              AND NOT (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i'))) LOOP
    EXECUTE format('ALTER %s %I.%I OWNER TO %I', CASE r.relkind WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'v' THEN 'VIEW' WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END,
      r.nspname, r.relname, CASE WHEN r.nspname = ANY(migration) AND r.nspname <> 'dw_versions' THEN 'dw_owner' ELSE 'dw_worker' END);
  END LOOP;
  FOR r IN SELECT p.oid::regprocedure AS fn FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE p.proowner = 'dw'::regrole AND n.nspname NOT IN ('information_schema') AND n.nspname NOT LIKE 'pg\\_%' LOOP
    EXECUTE format('ALTER ROUTINE %s OWNER TO dw_owner', r.fn);
  END LOOP;
  FOR r IN SELECT t.oid::regtype AS ty FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
            WHERE t.typowner = 'dw'::regrole AND t.typtype IN ('e', 'd', 'r', 'm') AND n.nspname NOT IN ('information_schema') AND n.nspname NOT LIKE 'pg\\_%' LOOP
    EXECUTE format('ALTER TYPE %s OWNER TO dw_owner', r.ty);
  END LOOP;
END $$`.replace('$1', `ARRAY[${MIGRATION_SCHEMAS.map((s) => pg.escapeLiteral(s)).join(', ')}]`),
    );
    await db.query('COMMIT');
  } catch (err) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
  return true;
}
