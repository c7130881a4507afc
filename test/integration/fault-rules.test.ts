// One test per quarantine rule: generated data with only that fault kind still builds every mart, and the
// quarantine holds exactly the injected rows (and the rows of the same order the rule takes along).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAULT_KINDS, type FaultEntry, generate } from '../../generator';
import { createTestEnv, type TestEnv } from '../support/env';
import { NAMED_MODELS } from '../support/fixtures';

let env: TestEnv;
const dirs: string[] = [];
const MARTS = NAMED_MODELS;

beforeAll(async () => {
  env = await createTestEnv('fault_rules');
  await env.startWorker();
});
afterAll(async () => {
  await env?.close();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('each quarantine rule, its fault alone, every mart built', () => {
  it.each(FAULT_KINDS)(
    'when only %s faults are injected, then every mart builds and the quarantine holds exactly those rows',
    async (kind) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dw-fault-'));
      dirs.push(dir);
      await generate({ scale: 0.003, seed: 11, outDir: dir, faults: 0.01, faultKinds: [kind] });
      const { faults } = JSON.parse(fs.readFileSync(path.join(dir, 'fault-manifest.json'), 'utf8')) as { faults: FaultEntry[] };
      expect(faults.length).toBeGreaterThan(0);
      expect(new Set(faults.map((f) => f.kind))).toEqual(new Set([kind]));
      const s = await env.materialize({ selection: '*', sourceDir: dir, allowShrink: true });
      expect(s.rootCauses).toEqual([]);
      for (const key of MARTS) expect(s.assets.find((a) => a.key === key)?.state, key).toMatch(/^(materialized|skipped)$/);
      const q = (await env.pool.query(`SELECT rule_code, source_file, source_row::int FROM quarantine.rows`)).rows as {
        rule_code: string;
        source_file: string;
        source_row: number;
      }[];
      for (const f of faults)
        expect(
          q.filter((r) => r.source_file === f.file && r.source_row === f.sourceRow).map((r) => r.rule_code),
          `${f.file}:${f.sourceRow}`,
        ).toContain(f.expectedRule);
      const allowed = new Set(
        faults.flatMap((f) => [
          `${f.file}:${f.sourceRow}`,
          ...(f.firstSourceRow ? [`${f.file}:${f.firstSourceRow}`] : []),
          ...Object.entries(f.relatedRows).flatMap(([file, rows]) => rows.map((r) => `${file}:${r}`)),
        ]),
      );
      expect(q.filter((r) => !allowed.has(`${r.source_file}:${r.source_row}`))).toEqual([]);
    },
    600_000,
  );
});
