// Generated data with injected faults (dw generate --scale 0.05 --faults 0.02): every fault kind is caught by an
// expectation whose failing examples point to the injected records, the score falls below 95% and the run reports the breach.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAULT_KINDS, type FaultEntry, generate } from '../../generator';
import { createTestEnv, type TestEnv } from '../support/env';

let env: TestEnv;
let dir: string;
beforeAll(async () => {
  env = await createTestEnv('quality_faults');
  await env.startWorker();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dw-quality-faults-'));
});
afterAll(async () => {
  await env?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

interface Example {
  sourceFile: string | null;
  record: number | null;
}

describe('quality on generated data with faults', () => {
  it('when 2% faults are injected, then each kind is caught with its source records, the score is below 95% and the run reports the SLA breach', async () => {
    await generate({ scale: 0.05, seed: 13, outDir: dir, faults: 0.02 });
    const { faults } = JSON.parse(fs.readFileSync(path.join(dir, 'fault-manifest.json'), 'utf8')) as { faults: FaultEntry[] };
    expect(new Set(faults.map((f) => f.kind))).toEqual(new Set(FAULT_KINDS));
    const s = await env.materialize({ selection: '*', sourceDir: dir, allowShrink: true });
    const runId = (await env.pool.query(`SELECT run_id FROM dw_meta.runs ORDER BY started_at DESC LIMIT 1`)).rows[0].run_id as string;

    const failing = (
      await env.pool.query(`SELECT expectation_id, examples FROM dw_meta.expectation_results WHERE run_id = $1 AND outcome <> 'pass'`, [
        runId,
      ])
    ).rows as { expectation_id: string; examples: Example[] }[];
    const caughtBy = (f: FaultEntry) =>
      failing.filter((r) => r.examples.some((x) => x.sourceFile === f.file && x.record === f.sourceRow)).map((r) => r.expectation_id);
    for (const kind of FAULT_KINDS) {
      const ofKind = faults.filter((f) => f.kind === kind);
      // Every injected record of the kind is an example of a failing expectation (the rule it breaks, at least).
      for (const f of ofKind) expect(caughtBy(f), `${kind} at ${f.file}:${f.sourceRow}`).not.toEqual([]);
      expect(
        ofKind.some((f) => caughtBy(f).some((id) => id.endsWith(f.expectedRule))),
        kind,
      ).toBe(true);
    }

    const overall = (
      await env.pool.query(
        `SELECT score::float AS score, sla_status FROM dw_meta.quality_scores WHERE run_id = $1 AND asset_key = '*' AND dimension = 'overall'`,
        [runId],
      )
    ).rows[0];
    expect(overall.score).toBeLessThan(0.95);
    expect(overall.sla_status).toBe('warn');
    const summary = (await env.pool.query(`SELECT summary FROM dw_meta.runs WHERE run_id = $1`, [runId])).rows[0].summary;
    expect(summary.quality.sla).toBe('warn');
    expect(summary.quality.reasons[0]).toMatch(/^QUALITY.OVERALL_BELOW_SLA: overall score \d+\.\d\d% is below the SLA of 95.00%/);
    expect(s.status).toBe(s.rootCauses.length ? 'failed' : 'success');
  }, 900_000);
});
