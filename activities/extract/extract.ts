// Extract: streams one source file's bytes into raw.<name> with COPY, atomically replacing the previous load.
import fs from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { PoolClient } from '../../infra/db';
import type { SourceContract } from '../../schema/contracts/olist';
import { badInput } from '../errors';
import { assertSourceAllowed } from '../shared/source-roots';
import type { RowCounts } from '../types';
import { checkHeader } from './header';
import { scanRecords } from './record-locator';

export interface ExtractProgress {
  bytes: number;
  totalBytes: number;
}

export interface ExtractOptions {
  signal?: AbortSignal;
  onProgress?: (p: ExtractProgress) => void;
}

export function sourcePath(sourceDir: string, contract: SourceContract): string {
  assertSourceAllowed(sourceDir); // the worker reads only under DW_SOURCE_ROOTS, whoever started the run (docs/security.md)
  const file = path.join(sourceDir, contract.file);
  if (!fs.existsSync(file)) {
    throw badInput('EXTRACT.FILE_NOT_FOUND', `${contract.file} not found in ${sourceDir}: pass --source DIR with the nine Olist files`, {
      file: contract.file,
    });
  }
  return file;
}

/**
 * Loads the file inside the caller's transaction: TRUNCATE then COPY FREEZE (no WAL and no later vacuum
 * with wal_level=minimal), so readers see the old rows or all the new ones, never a half-loaded table.
 */
export async function extractFile(
  client: PoolClient,
  contract: SourceContract,
  file: string,
  sha256: string,
  opts: ExtractOptions = {},
): Promise<RowCounts> {
  checkHeader(file, contract);
  const table = `raw.${pg.escapeIdentifier(contract.name)}`;
  await client.query(`SELECT set_config('dw.source_file', $1, true), set_config('dw.source_sha256', $2, true)`, [contract.file, sha256]);
  await client.query(`TRUNCATE ${table} RESTART IDENTITY`);
  const cols = contract.columns.map((c) => pg.escapeIdentifier(c.name)).join(', ');
  const copy = client.query(copyFrom(`COPY ${table} (${cols}) FROM STDIN WITH (FORMAT csv, HEADER true, FREEZE true)`));
  const totalBytes = fs.statSync(file).size;
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      bytes += chunk.length;
      opts.onProgress?.({ bytes, totalBytes });
      cb(null, chunk);
    },
  });
  try {
    await pipeline(fs.createReadStream(file, { highWaterMark: 1 << 20 }), counter, copy, { signal: opts.signal });
  } catch (err) {
    throw await copyFailure(err, contract, file);
  }
  const rows = Number(copy.rowCount);
  // Rows of erased persons are dropped as they enter raw (migration 0011_lgpd's tombstone triggers): read, not written.
  const erased = Number((await client.query(`SELECT pii.tombstoned_rows($1) AS n`, [contract.name])).rows[0].n);
  return { rowsRead: rows + erased, rowsWritten: rows, rowsQuarantined: 0, rowsDeduplicated: 0 };
}

/**
 * Malformed CSV and bad encoding are permanent and named by file and CSV record (PostgreSQL counts physical lines, and
 * a quoted field may hold newlines: the file is scanned to turn the line into its record); anything else stays retryable.
 */
async function copyFailure(err: unknown, contract: SourceContract, file: string): Promise<unknown> {
  const e = err as { code?: string; message?: string; where?: string };
  const kind =
    e.code === '22021' ? 'EXTRACT.INVALID_ENCODING' : e.code === '22P04' || e.code === '22P02' ? 'EXTRACT.MALFORMED_CSV' : undefined;
  if (kind === undefined) return err;
  const line = Number(/line (\d+)/.exec(e.where ?? '')?.[1] ?? NaN);
  const records = await scanRecords(file);
  const open = /unterminated CSV quoted field/.test(e.message ?? '') ? records.unterminated : null;
  const found = open ?? (Number.isFinite(line) ? records.at(line) : null);
  const at = open
    ? `, record ${open.record} (its quoted field opened on line ${open.startLine} of the file never closes)`
    : found
      ? `, record ${found.record} (line ${line} of the file counting the header${found.startLine === line ? '' : `; the record starts on line ${found.startLine}`})`
      : '';
  const why = kind === 'EXTRACT.INVALID_ENCODING' ? 'the file must be UTF-8' : 'the file is cut or not well-formed CSV';
  return badInput(kind, `${contract.file}${at}: ${e.message} (${why})`, {
    file: contract.file,
    record: found?.record ?? null,
    line: Number.isFinite(line) ? line : null,
  });
}
