// Errors that point to the place (issue 11 item 6): extract failures name the CSV record, not the physical line, when
// quoted fields hold newlines (reviews with multi-line comments).
import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { platformGraph } from '../../assets';
import { materializeAsset } from '../../activities/materialize-asset';
import { contract } from '../../schema/contracts/olist';
import { createTestEnv, type TestEnv } from '../support/env';
import { copySource, parseRecords } from '../support/fixtures';

let env: TestEnv;
let source: string;
const graph = platformGraph();
const REVIEWS = contract('order_reviews').file;
const MULTI_LINE = 40;
const TARGET = 60; // the damaged record (1-based, header excluded), after 40 multi-line reviews

beforeAll(async () => {
  env = await createTestEnv('errorloc');
});
afterAll(() => env?.close());
beforeEach(() => {
  source = copySource();
});

/**
 * Rewrites the reviews so that records 1..40 hold three-line comments, puts `marker` in record TARGET's title, and
 * returns the file's bytes with the marker replaced by `damage`, plus the physical line where record TARGET starts.
 */
function reviewsWith(damage: Buffer): { startLine: number } {
  const file = path.join(source, REVIEWS);
  const header = fs.readFileSync(file, 'utf8').split('\n')[0]!;
  const records = parseRecords(file);
  expect(records.length).toBeGreaterThan(TARGET);
  records.splice(
    0,
    records.length,
    ...records.map((r, i) => (i < MULTI_LINE ? [...r.slice(0, 4), `linha um ${i}\nlinha dois\nlinha três`, ...r.slice(5)] : r)),
  );
  records[TARGET - 1]![3] = 'MARKER';
  const text = `${header}\n${stringify(records)}`;
  const at = text.indexOf('MARKER');
  fs.writeFileSync(file, Buffer.concat([Buffer.from(text.slice(0, at)), damage, Buffer.from(text.slice(at + 'MARKER'.length))]));
  return { startLine: text.slice(0, at).split('\n').length };
}

async function extractError(): Promise<{ type: string; message: string; details?: unknown[] }> {
  const err = await materializeAsset(
    { pool: env.pool, graph },
    { runId: 'test', assetKey: 'raw/order_reviews', partitionKey: '', sourceDir: source },
  ).then(
    () => undefined,
    (e: { type: string; message: string; details?: unknown[] }) => e,
  );
  expect(err, 'raw/order_reviews should fail').toBeDefined();
  return err!;
}

describe('extract errors name the CSV record after multi-line reviews', () => {
  it('when record 60 holds a byte that is not UTF-8, after 40 three-line reviews, then EXTRACT.INVALID_ENCODING names record 60, not its line', async () => {
    const { startLine } = reviewsWith(Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20])); // "caf\xe9 ": Latin-1, not UTF-8
    expect(startLine).toBeGreaterThanOrEqual(TARGET + 1 + 2 * MULTI_LINE); // the record starts 80 lines further down than its number says
    const e = await extractError();
    expect(e.type).toBe('EXTRACT.INVALID_ENCODING');
    expect(e.message).toContain(`${REVIEWS}, record ${TARGET} (line ${startLine} of the file counting the header)`);
    expect(e.details).toEqual([{ file: REVIEWS, record: TARGET, line: startLine }]);
  });

  it('when record 60 opens a quote that never closes, after 40 three-line reviews, then EXTRACT.MALFORMED_CSV names record 60 and the line it opened on', async () => {
    const { startLine } = reviewsWith(Buffer.from('"aberto'));
    const e = await extractError();
    expect(e.type).toBe('EXTRACT.MALFORMED_CSV');
    // PostgreSQL stops where the open quote first makes the rest unreadable (here a \r of a later review, now outside
    // quotes; at the end of the file it says "unterminated CSV quoted field"): either way, record 60 and its first line.
    expect(e.message).toMatch(
      new RegExp(
        `^${REVIEWS}, record ${TARGET} \\((its quoted field opened on line ${startLine} |line \\d+ of the file counting the header; the record starts on line ${startLine}\\))`,
      ),
    );
    expect((e.details?.[0] as { record: number }).record).toBe(TARGET);
  });

  it('when the last record opens a quote that never closes, then EXTRACT.MALFORMED_CSV names it and the line it opened on', async () => {
    reviewsWith(Buffer.from('titulo'));
    const file = path.join(source, REVIEWS);
    const records = parseRecords(file).length;
    const lines = fs.readFileSync(file, 'utf8').split('\n').length; // the text ends with a newline: the next line's number
    fs.appendFileSync(file, `${'e'.repeat(32)},${'f'.repeat(32)},5,"sem fim,\n`);
    const e = await extractError();
    expect(e.type).toBe('EXTRACT.MALFORMED_CSV');
    expect(e.message).toContain(
      `${REVIEWS}, record ${records + 1} (its quoted field opened on line ${lines} of the file never closes): unterminated CSV quoted field`,
    );
  });

  it('when the file is whole, then raw/order_reviews numbers the records 1..n whatever their lines (_source_row is the record)', async () => {
    reviewsWith(Buffer.from('titulo'));
    const r = await materializeAsset(
      { pool: env.pool, graph },
      { runId: 'test', assetKey: 'raw/order_reviews', partitionKey: '', sourceDir: source },
    );
    expect(r.outcome).toBe('materialized');
    const row = await env.pool.query(
      `SELECT _source_row, pii.open(review_comment_title) AS review_comment_title FROM raw.order_reviews WHERE pii.open(review_comment_title) = 'titulo'`,
    );
    expect(row.rows).toEqual([{ _source_row: TARGET, review_comment_title: 'titulo' }]);
  });
});
