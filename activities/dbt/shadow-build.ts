// One `dbt build` into the shadow schemas (the subprocess, its heartbeat) and each model's verdict from run_results.json.
import fs from 'node:fs';
import path from 'node:path';
import type { AssetGraph } from '../../assets';
import { DBT_STATE_DIR, runDbt } from '../../infra/dbt';
import type { Pool } from '../../infra/db';
import { NoSpaceError } from '../../infra/disk-space';
import { stripRowLines } from '../../infra/logger';
import { badInput } from '../errors';
import { activityContext } from '../shared/activity-context';
import type { CheckResult } from '../types';
import { loadManifest } from './manifest';
import { explainRelationships } from './relationship-failures';
import { type Relation, cloneIntoShadow } from './wap';

interface RunResult {
  unique_id: string;
  status: string;
  execution_time: number;
  message: string | null;
  failures: number | null;
  compiled_code?: string | null;
}

interface TestNode {
  attached_node?: string | null;
  depends_on: { nodes: string[] };
}

/** What a build says of each model before publication: ok, failed (with the error), or blocked by an upstream model. */
export type Verdict = { checks: CheckResult[]; durationMs: number } & (
  | { outcome: 'ok'; rows: number | null }
  | { outcome: 'failed'; error: { code: string; message: string } }
  | { outcome: 'blocked'; blockedBy: string; message: string }
);

export const modelName = (key: string) => key.slice('dbt/'.length);
const testName = (uniqueId: string) => uniqueId.split('.').slice(2).join('.');
const failedTest = (t: RunResult) => t.status === 'fail' || t.status === 'error';
const describeTest = (t: RunResult, explained?: Map<string, string>) =>
  `${testName(t.unique_id)}: ${t.status}${t.failures ? ` (${t.failures} failing rows)` : ''}${explained?.has(t.unique_id) ? `: ${explained.get(t.unique_id)}` : ''}`;

/**
 * Runs one `dbt build` of `toBuild` into the shadow schemas (refs to other models read the published ones) and
 * sets each model's verdict from run_results.json. Returns the failed tests that read several models (consistency).
 */
export async function buildInShadow(
  deps: { pool: Pool; graph: AssetGraph; databaseUrl: string },
  input: { runId: string; partitionKey?: string },
  toBuild: string[],
  exists: (key: string) => boolean,
  rel: (key: string) => Relation,
  verdicts: Map<string, Verdict>,
): Promise<string[]> {
  const { graph, pool } = deps;
  const partitionKey = input.partitionKey ?? '';
  for (const key of toBuild)
    if (partitionKey && graph.get(key).tags.includes('dbt:incremental') && exists(key)) await cloneIntoShadow(pool, rel(key));
  const manifest = await loadManifest(deps.databaseUrl);
  const targetPath = path.join(DBT_STATE_DIR, 'runs', `${input.runId}-${Date.now()}`);
  const names = toBuild.map(modelName);
  const vars = { dw_shadow: true, dw_built: names, ...(partitionKey ? { partition_key: partitionKey } : {}) };
  const ctx = activityContext();
  let done = 0;
  const beat = setInterval(() => ctx?.heartbeat({ done }), 5_000);
  let run;
  try {
    run = await runDbt(['build', '--select', ...names, '--vars', JSON.stringify(vars)], {
      databaseUrl: deps.databaseUrl,
      targetPath,
      signal: ctx?.cancellationSignal,
      onEvent: (e) => {
        if (e.info?.name === 'NodeFinished') done++;
      },
    });
  } catch (err) {
    // A full disk: one non-retryable failure naming the path and its free space (retrying cannot help until space is freed).
    if (err instanceof NoSpaceError) throw badInput(err.code, err.message, { path: err.path, freeBytes: err.freeBytes });
    throw err;
  } finally {
    clearInterval(beat);
  }
  if (ctx?.cancellationSignal.aborted) throw new Error('dbt build cancelled');
  const resultsFile = path.join(targetPath, 'run_results.json');
  if (!fs.existsSync(resultsFile))
    throw new Error(`dbt build ended (exit ${run.code}) without run_results.json: see ${path.join(targetPath, 'dbt.log')}`);
  const results = (JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as { results: RunResult[] }).results;
  const byId = new Map(results.map((r) => [r.unique_id, r]));
  // A failed relationships test names its failing keys with their source file and record (the shadows still exist).
  const explained = await explainRelationships(pool, manifest, results);
  const describe = (t: RunResult) => describeTest(t, explained);

  // Each test (and unit test) counts for every model built here that it reads.
  const nodes = { ...manifest.nodes, ...((manifest as unknown as { unit_tests?: Record<string, TestNode> }).unit_tests ?? {}) } as Record<
    string,
    TestNode
  >;
  const testsOf = new Map<string, RunResult[]>();
  const consistency: string[] = [];
  for (const r of results) {
    if (!r.unique_id.startsWith('test.') && !r.unique_id.startsWith('unit_test.')) continue;
    const models = (nodes[r.unique_id]?.depends_on.nodes ?? [])
      .filter((d) => d.startsWith('model.'))
      .map((d) => `dbt/${d.split('.').slice(2).join('.')}`);
    for (const m of models) testsOf.set(m, [...(testsOf.get(m) ?? []), r]);
    if (!nodes[r.unique_id]?.attached_node && models.length > 1 && failedTest(r)) consistency.push(testName(r.unique_id));
  }
  const failing = results.filter((r) => r.status === 'error' || r.status === 'fail').map(describe);
  for (const key of toBuild) {
    const r = byId.get(`model.olist_warehouse.${modelName(key)}`);
    const tests = testsOf.get(key) ?? [];
    const checks: CheckResult[] = tests.map((t) => ({
      name: testName(t.unique_id),
      blocking: true,
      passed: !failedTest(t) && t.status !== 'skipped',
      message: ['pass', 'success'].includes(t.status) ? 'pass' : `${describe(t)}${t.message ? `: ${stripRowLines(t.message)}` : ''}`,
    }));
    const bad = tests.filter(failedTest);
    const durationMs = Math.round((r?.execution_time ?? 0) * 1000);
    const upstream = graph.get(key).deps.find((d) => verdicts.has(d) && verdicts.get(d)?.outcome !== 'ok');
    if (r?.status === 'success' && bad.length === 0) verdicts.set(key, { outcome: 'ok', rows: null, checks, durationMs });
    else if (bad.length)
      verdicts.set(key, {
        outcome: 'failed',
        checks,
        durationMs,
        error: { code: 'DBT.TEST_FAILED', message: bad.map(describe).join('; ') },
      });
    else if (r?.status === 'error')
      verdicts.set(key, {
        outcome: 'failed',
        checks,
        durationMs,
        error: { code: 'DBT.MODEL_ERROR', message: r.message ? stripRowLines(r.message) : `dbt error in ${key}` },
      });
    else if (upstream) {
      const v = verdicts.get(upstream) as Verdict;
      const root = v.outcome === 'blocked' ? v.blockedBy : upstream;
      verdicts.set(key, { outcome: 'blocked', checks, durationMs, blockedBy: root, message: `blocked by ${root}` });
    } else {
      const why = failing.length
        ? `dbt skipped it after ${failing.join('; ')}`
        : `dbt reported ${r?.status ?? 'no result'} (exit ${run.code}); see ${path.join(targetPath, 'dbt.log')}`;
      verdicts.set(key, { outcome: 'failed', checks, durationMs, error: { code: 'DBT.MODEL_ERROR', message: why } });
    }
  }
  return consistency;
}
