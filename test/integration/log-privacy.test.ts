// Issue 20 item 5: no personal data in any log. After hostile loads (a malformed reviews file whose COPY fails with a
// CONTEXT line, reviews that fail staging rules, a review so bad that the staging guard fails the asset), no review
// text appears in any file under .dw/logs (server log, worker logs, activity .jsonl) nor in the test worker's output.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATE_DIR } from '../../infra/config';
import { contract } from '../../schema/contracts/olist';
import { createTestEnv, type TestEnv } from '../support/env';
import { copySource, parseRecords } from '../support/fixtures';
import { type TestWorker, startTestWorker } from '../support/metrics-worker';

const LOG_DIR = path.join(STATE_DIR, 'logs');
const REVIEWS = contract('order_reviews').file;
const tag = randomBytes(4).toString('hex');
/** Review texts no other test uses (a tag per run), so any hit is this test's leak. */
const TEXT = {
  malformed: `Excelente atendimento privado ${tag} linha quebrada`,
  title: `Titulo privado ${tag}`,
  badScore: `Comentario privado ${tag} com nota invalida`,
  guard: `Reclamacao privada ${tag} numero`,
  control: `Texto privado ${tag} com\u0001controle`,
};

let env: TestEnv;
let worker: TestWorker;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dw-log-privacy-'));
const workerLogFile = path.join(tmp, 'worker.log');

function writeReviews(dir: string, records: string[][], extraLines = ''): void {
  const file = path.join(dir, REVIEWS);
  const header = fs.readFileSync(file, 'utf8').split('\n')[0]!;
  fs.writeFileSync(file, `${header}\n${stringify(records)}${extraLines}`);
}

/** Every file under dir, recursively (rotated logs, .jsonl, the server log). */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(p) : e.isFile() ? [p] : [];
  });
}

beforeAll(async () => {
  env = await createTestEnv('logprivacy');
  worker = startTestWorker(env, 0, 'debug'); // the most verbose worker: every line it can write
}, 300_000);

afterAll(async () => {
  await worker?.stop();
  await env?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('no review text in any log', () => {
  it('when loads fail on malformed and rule-breaking reviews, then .dw/logs and the worker log hold none of their texts', async () => {
    const clean = copySource();
    const records = parseRecords(path.join(clean, REVIEWS));
    const order = records[0]![1]!;

    // 1. A malformed record (one field too many) in the middle of the file: COPY fails; its CONTEXT line would quote it.
    const malformed = copySource();
    const bad = stringify([
      [`${'d'.repeat(31)}1`, order, '5', TEXT.title, TEXT.malformed, '2018-01-01 00:00:00', '2018-01-02 00:00:00', 'extra'],
    ]);
    writeReviews(malformed, records.slice(0, 300), `${bad}${stringify(records.slice(300))}`);
    const s1 = await env.materialize({ selection: 'raw/order_reviews', sourceDir: malformed });
    expect(s1.status).toBe('failed');
    expect(JSON.stringify(s1.assets)).toContain('EXTRACT.MALFORMED_CSV');

    // 2. Reviews that fail staging rules (a score that is not a number; a control character repaired): quarantined.
    const rules = copySource();
    writeReviews(rules, [
      ...records,
      [`${'e'.repeat(31)}1`, order, 'five', TEXT.title, TEXT.badScore, '2018-01-01 00:00:00', '2018-01-02 00:00:00'],
      [`${'e'.repeat(31)}2`, order, '4', '', TEXT.control, '2018-01-01 00:00:00', '2018-01-02 00:00:00'],
    ]);
    const s2 = await env.materialize({ selection: 'raw/order_reviews staging/order_reviews', sourceDir: rules });
    expect(s2.status, JSON.stringify(s2.assets)).toBe('success');
    const quarantined = await env.pool.query(`SELECT count(*)::int AS n FROM quarantine.rows WHERE asset_key = 'staging/order_reviews'`);
    expect(quarantined.rows[0].n).toBeGreaterThan(0);

    // 3. Most reviews break a rule: the staging guard fails the asset (its message counts, never quotes).
    const guard = copySource();
    writeReviews(
      guard,
      records.map((r, i) => (i % 2 ? r : [r[0]!, r[1]!, 'nota', '', `${TEXT.guard} ${i}`, r[5]!, r[6]!])),
    );
    const s3 = await env.materialize({ selection: 'raw/order_reviews staging/order_reviews', sourceDir: guard });
    expect(s3.status).toBe('failed');

    await new Promise((r) => setTimeout(r, 1_000)); // the file transports write asynchronously
    fs.writeFileSync(workerLogFile, worker.output());
    const files = [...filesUnder(LOG_DIR), workerLogFile];
    expect(files.some((f) => path.basename(f) === 'postgres.log')).toBe(true);
    // The failures did reach the logs (so the search below looks where they are written).
    expect(worker.output()).toMatch(/MALFORMED_CSV|asset failed/);

    const needles = [TEXT.malformed, TEXT.title, TEXT.badScore, TEXT.guard, TEXT.control, TEXT.control.replace('\u0001', ''), tag];
    const hits: string[] = [];
    for (const f of files) {
      const text = fs.readFileSync(f, 'utf8');
      for (const n of needles) if (text.includes(n)) hits.push(`${f}: ${n}`);
    }
    expect(hits).toEqual([]);
    for (const d of [clean, malformed, rules, guard]) fs.rmSync(d, { recursive: true, force: true });
  });
});
