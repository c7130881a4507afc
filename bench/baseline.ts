// The physical baseline: psql's \copy of the same nine files into same-shaped text tables (no casts, no checks, no ledger).
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { EMBEDDED } from '../infra/config';
import { CONTRACTS } from '../schema/contracts/olist';
import { run } from './util';

export const PSQL = '/usr/bin/psql';

export type BaselineVariant = 'plain-serial' | 'freeze-serial' | 'freeze-parallel';

export const VARIANTS: Record<BaselineVariant, string> = {
  'plain-serial': 'one psql session, the nine files one after another, plain \\copy into the existing tables (autocommit, WAL written)',
  'freeze-serial':
    'one psql session, the nine files one after another, each `BEGIN; TRUNCATE; \\copy … FREEZE; COMMIT` (no WAL with wal_level=minimal, as our extract does)',
  'freeze-parallel': 'as freeze-serial, the nine files spread over 4 concurrent psql sessions (our runs use 4 parallel activities)',
};

export interface BaselineRun {
  variant: BaselineVariant;
  rows: number;
  wallMs: number;
  rowsPerSec: number;
}

/** Text tables with the contract's columns, in schema `baseline` of the given database. */
export async function createBaselineTables(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('CREATE SCHEMA IF NOT EXISTS baseline');
    for (const c of CONTRACTS) {
      const cols = c.columns.map((col) => `${pg.escapeIdentifier(col.name)} text`).join(', ');
      await client.query(
        `DROP TABLE IF EXISTS baseline.${pg.escapeIdentifier(c.name)}; CREATE TABLE baseline.${pg.escapeIdentifier(c.name)} (${cols})`,
      );
    }
  } finally {
    await client.end();
  }
}

function copyScript(sourceDir: string, names: string[], freeze: boolean): string {
  const lines = ['\\set ON_ERROR_STOP on'];
  for (const name of names) {
    const c = CONTRACTS.find((x) => x.name === name);
    if (!c) throw new Error(`no contract ${name}`);
    const table = `baseline.${pg.escapeIdentifier(c.name)}`;
    const cols = c.columns.map((col) => pg.escapeIdentifier(col.name)).join(', ');
    const file = path.join(sourceDir, c.file).replace(/'/g, "''");
    if (freeze) {
      lines.push(
        'BEGIN;',
        `TRUNCATE ${table};`,
        `\\copy ${table} (${cols}) FROM '${file}' WITH (FORMAT csv, HEADER true, FREEZE true)`,
        'COMMIT;',
      );
    } else {
      lines.push(`\\copy ${table} (${cols}) FROM '${file}' WITH (FORMAT csv, HEADER true)`);
    }
  }
  return `${lines.join('\n')}\n`;
}

async function psqlScript(database: string, script: string, scriptFile: string): Promise<number> {
  fs.writeFileSync(scriptFile, script);
  const out = await run(PSQL, [
    '-X',
    '-h',
    '127.0.0.1',
    '-p',
    String(EMBEDDED.pgPort),
    '-U',
    EMBEDDED.pgUser,
    '-d',
    database,
    '-f',
    scriptFile,
  ]);
  return [...out.matchAll(/^COPY (\d+)$/gm)].reduce((a, m) => a + Number(m[1]), 0);
}

async function truncateAll(database: string, workDir: string): Promise<void> {
  const tables = CONTRACTS.map((c) => `baseline.${pg.escapeIdentifier(c.name)}`).join(', ');
  await psqlScript(database, `TRUNCATE ${tables};\nCHECKPOINT;\n`, path.join(workDir, 'truncate.sql'));
}

/** One timed load of the nine files; the tables are emptied (and a checkpoint taken) outside the timing. */
export async function runBaseline(variant: BaselineVariant, database: string, sourceDir: string, workDir: string): Promise<BaselineRun> {
  await truncateAll(database, workDir);
  // Largest files first, so the parallel variant balances its sessions.
  const names = [...CONTRACTS]
    .sort((a, b) => fs.statSync(path.join(sourceDir, b.file)).size - fs.statSync(path.join(sourceDir, a.file)).size)
    .map((c) => c.name);
  const started = performance.now();
  let rows = 0;
  if (variant === 'freeze-parallel') {
    const lanes: string[][] = [[], [], [], []];
    const sizes = [0, 0, 0, 0];
    for (const n of names) {
      const c = CONTRACTS.find((x) => x.name === n) as (typeof CONTRACTS)[number];
      const i = sizes.indexOf(Math.min(...sizes));
      (lanes[i] as string[]).push(n);
      sizes[i] = (sizes[i] as number) + fs.statSync(path.join(sourceDir, c.file)).size;
    }
    const counts = await Promise.all(
      lanes
        .filter((l) => l.length)
        .map((l, i) => psqlScript(database, copyScript(sourceDir, l, true), path.join(workDir, `copy-${i}.sql`))),
    );
    rows = counts.reduce((a, b) => a + b, 0);
  } else {
    rows = await psqlScript(database, copyScript(sourceDir, names, variant === 'freeze-serial'), path.join(workDir, 'copy.sql'));
  }
  const wallMs = performance.now() - started;
  return { variant, rows, wallMs, rowsPerSec: rows / (wallMs / 1000) };
}
