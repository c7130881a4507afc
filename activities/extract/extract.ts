// Extract: streams one source file's bytes into raw.<name> with COPY in one read that also hashes and checks them.
import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import fs from 'node:fs';
import path from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { PoolClient } from '../../infra/db';
import { NUL_MARKER } from '../../schema/contracts/column-types';
import type { SourceContract } from '../../schema/contracts/olist';
import { badInput } from '../errors';
import { assertSourceAllowed } from '../shared/source-roots';
import { ruleExpr, sourceColumnsOpened } from '../staging/staging-sql';
import type { RowCounts } from '../types';
import { HEADER_MAX_BYTES, checkHeaderLine } from './header';
import { scanRecords } from './record-locator';
import { changeDuringRead, changedDuringRead, openSource } from './source-file';

export interface ExtractProgress {
  bytes: number;
  totalBytes: number;
}

export interface ExtractOptions {
  signal?: AbortSignal;
  onProgress?: (p: ExtractProgress) => void;
  /** Bytes per read (tests read in small pieces to change a file mid-read). */
  readSize?: number;
}

export interface Extracted {
  counts: RowCounts;
  /** sha256 of exactly the bytes loaded (equal to the version the run planned with, or the load fails). */
  sha256: string;
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

const LF = 0x0a;
const CR = 0x0d;
const NUL = 0x00;
const NUL_BYTES = Buffer.from(NUL_MARKER, 'utf8');
const isTerminator = (b: number) => b === LF || b === CR;

/**
 * The one pass over the file's bytes on their way to COPY: hashes them as read, checks the header line, writes each
 * NUL byte as NUL_MARKER (staging quarantines its record), and holds back line terminators at the end of the file, so
 * trailing blank lines are dropped (one terminator is kept) and whether the file ends with a terminator is known.
 */
class SourceReader extends Transform {
  readonly hash = createHash('sha256');
  bytes = 0;
  /** Line feeds passed on: with the final terminator, the physical lines of the file as COPY counts them. */
  lines = 1;
  nuls = 0;
  ended = false;
  endsWithTerminator = false;
  private header: Buffer[] | undefined = [];
  private held: Buffer = Buffer.alloc(0);

  constructor(
    private readonly contract: SourceContract,
    private readonly totalBytes: number,
    private readonly onProgress?: (p: ExtractProgress) => void,
  ) {
    super();
  }

  override _transform(raw: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.hash.update(raw);
    this.bytes += raw.length;
    this.onProgress?.({ bytes: this.bytes, totalBytes: this.totalBytes });
    try {
      if (this.header) this.readHeader(raw);
    } catch (err) {
      cb(err as Error);
      return;
    }
    let chunk = raw.includes(NUL) ? this.markNuls(raw) : raw;
    let last = chunk.length - 1;
    while (last >= 0 && isTerminator(chunk[last]!)) last--;
    if (last < 0) {
      this.held = Buffer.concat([this.held, chunk]);
      cb();
      return;
    }
    const out = this.held.length ? Buffer.concat([this.held, chunk.subarray(0, last + 1)]) : chunk.subarray(0, last + 1);
    this.held = Buffer.from(chunk.subarray(last + 1));
    chunk = out;
    this.lines += countLf(chunk);
    cb(null, chunk);
  }

  override _flush(cb: TransformCallback): void {
    this.ended = true;
    if (this.header) {
      try {
        this.checkHeader(Buffer.concat(this.header));
      } catch (err) {
        cb(err as Error);
        return;
      }
    }
    if (this.held.length === 0) return cb();
    // One terminator, in the file's own style (COPY wants every line ended alike).
    this.endsWithTerminator = true;
    const first = this.held[0]!;
    const keep = first === CR && this.held[1] === LF ? 2 : 1;
    this.lines += first === LF || keep === 2 ? 1 : 0;
    cb(null, this.held.subarray(0, keep));
  }

  private readHeader(chunk: Buffer): void {
    const parts = this.header!;
    parts.push(chunk);
    const seen = Buffer.concat(parts);
    const end = seen.indexOf(LF);
    if (end === -1 && seen.length < HEADER_MAX_BYTES) return;
    this.checkHeader(seen.subarray(0, end === -1 ? HEADER_MAX_BYTES : end));
  }

  private checkHeader(line: Buffer): void {
    this.header = undefined;
    if (this.bytes === 0) {
      throw badInput(
        'EXTRACT.EMPTY_FILE',
        `${this.contract.file} is empty: expected at least the header line (${this.contract.columns.map((c) => c.name).join(',')})`,
        { file: this.contract.file },
      );
    }
    checkHeaderLine(line.toString('utf8'), this.contract);
  }

  private markNuls(chunk: Buffer): Buffer {
    const parts: Buffer[] = [];
    let from = 0;
    for (let i = chunk.indexOf(NUL); i !== -1; i = chunk.indexOf(NUL, from)) {
      parts.push(chunk.subarray(from, i), NUL_BYTES);
      this.nuls++;
      from = i + 1;
    }
    parts.push(chunk.subarray(from));
    return Buffer.concat(parts);
  }
}

function countLf(b: Buffer): number {
  let n = 0;
  for (let i = b.indexOf(LF); i !== -1; i = b.indexOf(LF, i + 1)) n++;
  return n;
}

/**
 * Loads the file inside the caller's transaction: TRUNCATE then COPY FREEZE (no WAL and no later vacuum with
 * wal_level=minimal), so readers see the old rows or all the new ones, never a half-loaded table. The file is read
 * once: its hash is of the very bytes COPY loaded, and it must be the version `sha256` the run planned with, unchanged
 * from open to end (SOURCE.CHANGED_DURING_READ otherwise). A cut last record is SOURCE.TRUNCATED; both roll back.
 */
export async function extractFile(
  client: PoolClient,
  contract: SourceContract,
  file: string,
  sha256: string,
  opts: ExtractOptions = {},
): Promise<Extracted> {
  const src = await openSource(file);
  try {
    const table = `raw.${pg.escapeIdentifier(contract.name)}`;
    await client.query(`SELECT set_config('dw.source_file', $1, true), set_config('dw.source_sha256', $2, true)`, [contract.file, sha256]);
    await client.query(`TRUNCATE ${table} RESTART IDENTITY`);
    const cols = contract.columns.map((c) => pg.escapeIdentifier(c.name)).join(', ');
    const copy = client.query(copyFrom(`COPY ${table} (${cols}) FROM STDIN WITH (FORMAT csv, HEADER true, FREEZE true)`));
    const reader = new SourceReader(contract, src.size, opts.onProgress);
    const stream = src.handle.createReadStream({ highWaterMark: opts.readSize ?? 1 << 20, autoClose: false, start: 0 });
    try {
      await pipeline(stream, reader, copy, { signal: opts.signal });
    } catch (err) {
      // A file changed under the read explains any error the read met: that is the one reported.
      const why = await changeDuringRead(file, src);
      throw why ? changedDuringRead(file, why) : await copyFailure(err, contract, file, reader);
    }
    const why = await changeDuringRead(file, src, reader.bytes);
    if (why) throw changedDuringRead(file, why);
    const loaded = reader.hash.digest('hex');
    if (loaded !== sha256) throw changedDuringRead(file, 'its content is not the version the run planned with (it was replaced since)');
    if (!reader.endsWithTerminator) await checkLastRecord(client, contract, table);
    const rows = Number(copy.rowCount);
    // Rows of erased persons are dropped as they enter raw (migration 0011_lgpd's tombstone triggers): read, not written.
    const erased = Number((await client.query(`SELECT pii.tombstoned_rows($1) AS n`, [contract.name])).rows[0].n);
    return { counts: { rowsRead: rows + erased, rowsWritten: rows, rowsQuarantined: 0, rowsDeduplicated: 0 }, sha256: loaded };
  } finally {
    await src.handle.close();
  }
}

/** A file without a final line terminator may have been cut inside its last record: it is, when its last value breaks the contract. */
async function checkLastRecord(client: PoolClient, contract: SourceContract, table: string): Promise<void> {
  const lastColumn = contract.columns[contract.columns.length - 1]!;
  const r = await client.query(
    `SELECT r._source_row AS record, ${ruleExpr({ ...contract, columns: [lastColumn] })} AS rule
       FROM (SELECT r._source_row, ${sourceColumnsOpened(contract)} FROM ${table} r ORDER BY r._source_row DESC LIMIT 1) r`,
  );
  const last = r.rows[0] as { record: string; rule: string | null } | undefined;
  if (last?.rule)
    throw truncated(
      contract,
      `its last record (${last.record}) ends without a line terminator and its last value, ${lastColumn.name}, breaks the contract (${last.rule})`,
      Number(last.record),
    );
}

function truncated(contract: SourceContract, why: string, record: number | null): Error {
  return badInput(
    'SOURCE.TRUNCATED',
    `${contract.file} is cut: ${why}. The export was not written to its end; nothing was published from it: export it again`,
    { file: contract.file, record },
  );
}

/**
 * Malformed CSV and bad encoding are permanent and named by file and CSV record (PostgreSQL counts physical lines, and
 * a quoted field may hold newlines: the file is scanned to turn the line into its record); a quote still open at the
 * end, or a short last line without a terminator, is a cut file; anything else stays retryable. PostgreSQL's message
 * names the fault, never a value; its context (which quotes the line) is not passed on.
 */
async function copyFailure(err: unknown, contract: SourceContract, file: string, reader: SourceReader): Promise<unknown> {
  if (err instanceof ApplicationFailure) return err; // the header check's own failure
  const e = err as { code?: string; message?: string; where?: string };
  const kind =
    e.code === '22021' ? 'EXTRACT.INVALID_ENCODING' : e.code === '22P04' || e.code === '22P02' ? 'EXTRACT.MALFORMED_CSV' : undefined;
  if (kind === undefined) return err;
  const line = Number(/line (\d+)/.exec(e.where ?? '')?.[1] ?? NaN);
  const records = await scanRecords(file);
  const open = /unterminated CSV quoted field/.test(e.message ?? '') ? records.unterminated : null;
  const found = open ?? (Number.isFinite(line) ? records.at(line) : null);
  // Cut: the file ends without a line terminator inside its last record (a quote still open, or too few fields).
  const cut = reader.ended && !reader.endsWithTerminator;
  if (cut && open)
    return truncated(
      contract,
      `a quoted field of record ${open.record}, opened on line ${open.startLine}, is still open at the end of the file`,
      open.record,
    );
  if (cut && line === reader.lines && /missing data/.test(e.message ?? ''))
    return truncated(
      contract,
      `its last record (${found?.record ?? '?'}) ends without a line terminator, with fewer fields than the header`,
      found?.record ?? null,
    );
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
