// What the local state under .dw takes on disk, by part (pg data, pg_wal, Temporal's database, logs, dbt runs, backups, keys).
import fs from 'node:fs';
import path from 'node:path';
import { STATE_DIR } from '../config';

export interface DiskPart {
  part: string;
  /** Relative to the state directory; several paths joined by ', '. */
  path: string;
  bytes: number;
}

/** Bytes on disk (allocated blocks, as du counts them) under `p`, not following symbolic links; files vanishing meanwhile are skipped. */
export function diskBytes(p: string, skip: ReadonlySet<string> = new Set()): number {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(p);
  } catch {
    return 0;
  }
  const own = st.blocks * 512;
  if (!st.isDirectory() || skip.has(p)) return skip.has(p) ? 0 : own;
  let entries: string[];
  try {
    entries = fs.readdirSync(p);
  } catch {
    return own;
  }
  return entries.reduce((n, e) => n + diskBytes(path.join(p, e), skip), own);
}

/**
 * The parts of the state directory, each with its size: the PostgreSQL cluster's data without pg_wal, pg_wal, the
 * Temporal dev server's database, logs, dbt runs, backups (when there are), the key and password files, and the rest.
 */
export function stateDiskUsage(root: string = STATE_DIR): DiskPart[] {
  const at = (...p: string[]) => path.join(root, ...p);
  const pgData = at('pg', 'data');
  const wal = path.join(pgData, 'pg_wal');
  const temporal = fs.existsSync(root) ? fs.readdirSync(root).filter((f) => f.startsWith('temporal.db')) : [];
  const keys = ['master-keys', 'audit-key', 'run-signing-key', 'secrets', 'keys'].filter((f) => fs.existsSync(at(f)));
  const parts: { part: string; paths: string[]; skip?: string[]; optional?: boolean }[] = [
    { part: 'postgres data', paths: ['pg'], skip: [wal] },
    { part: 'pg_wal', paths: [path.join('pg', 'data', 'pg_wal')] },
    { part: 'temporal db', paths: temporal },
    { part: 'logs', paths: ['logs'] },
    { part: 'dbt runs', paths: ['dbt'] },
    { part: 'backups', paths: ['backups'], optional: true },
    { part: 'keys', paths: keys },
  ];
  const named = new Set(parts.flatMap((p) => p.paths.map((x) => x.split(path.sep)[0] as string)));
  const rest = fs.existsSync(root) ? fs.readdirSync(root).filter((f) => !named.has(f)) : [];
  const out: DiskPart[] = parts
    .filter((p) => !p.optional || p.paths.some((x) => fs.existsSync(at(x))))
    .map((p) => ({
      part: p.part,
      path: p.paths.join(', ') || '—',
      bytes: p.paths.reduce((n, x) => n + diskBytes(at(x), new Set(p.skip ?? [])), 0),
    }));
  out.push({ part: 'other', path: rest.join(', ') || '—', bytes: rest.reduce((n, x) => n + diskBytes(at(x)), 0) });
  out.push({ part: 'total', path: '.', bytes: out.reduce((n, p) => n + p.bytes, 0) });
  return out;
}
