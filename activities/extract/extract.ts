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
import type { RowCounts } from '../ledger/ledger';
import { checkHeader } from './header';

export interface ExtractProgress {
  bytes: number;
  totalBytes: number;
}

export interface ExtractOptions {
  signal?: AbortSignal;
  onProgress?: (p: ExtractProgress) => void;
}

export function sourcePath(sourceDir: string, contract: SourceContract): string {
  const file = path.join(sourceDir, contract.file);
  if (!fs.existsSync(file)) {
    throw badInput('EXTRACT.FILE_NOT_FOUND', `${contract.file} not found in ${sourceDir}: pass --source DIR with the nine Olist files`, { file: contract.file });
  }
  return file;
}

/**
 * Loads the file inside the caller's transaction: TRUNCATE then COPY FREEZE (no WAL and no later vacuum
 * with wal_level=minimal), so readers see the old rows or all the new ones, never a half-loaded table.
 */
export async function extractFile(
  client: PoolClient, contract: SourceContract, file: string, sha256: string, opts: ExtractOptions = {},
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
    throw copyFailure(err, contract);
  }
  const rows = Number(copy.rowCount);
  return { rowsRead: rows, rowsWritten: rows, rowsQuarantined: 0, rowsDeduplicated: 0 };
}

/** Malformed CSV and bad encoding are permanent and named by file and record; anything else stays retryable. */
function copyFailure(err: unknown, contract: SourceContract): unknown {
  const e = err as { code?: string; message?: string; where?: string };
  const line = /line (\d+)/.exec(e.where ?? '')?.[1];
  const at = line ? `, record ${Number(line) - 1} (line ${line} counting the header)` : '';
  if (e.code === '22P04' || e.code === '22P02') {
    return badInput('EXTRACT.MALFORMED_CSV', `${contract.file}${at}: ${e.message} (the file is cut or not well-formed CSV)`, { file: contract.file, record: line ? Number(line) - 1 : null });
  }
  if (e.code === '22021') {
    return badInput('EXTRACT.INVALID_ENCODING', `${contract.file}${at}: ${e.message} (the file must be UTF-8)`, { file: contract.file, record: line ? Number(line) - 1 : null });
  }
  return err;
}
