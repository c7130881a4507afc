// What on-call sees in the Temporal UI: a run's summary and details, the root cause of a failed one, and search
// attributes that fit Temporal's limits at any graph size (a run of 500 assets starts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssetGraph, type AssetSpec, platformAssets } from '../../assets';
import { awaitSummary, startMaterialize } from '../../cli/temporal-client';
import { SA_ASSET_KEYS } from '../../workflows/definitions';
import { createTestEnv, type TestEnv } from '../support/env';

const MANY = 500;
const many: AssetSpec[] = Array.from({ length: MANY }, (_, i) => ({
  key: `test/many/asset_${String(i).padStart(4, '0')}`,
  group: 'many',
  kind: 'domain',
  tags: [],
  deps: [],
  partitioned: false,
  description: 'a no-op asset',
  op: { type: 'noop' },
  codeVersion: 'many-1',
  checks: [],
}));
const failing: AssetSpec = {
  key: 'test/needs_upstream',
  group: 'many',
  kind: 'domain',
  tags: [],
  deps: ['raw/orders'],
  partitioned: false,
  description: 'reads an upstream that was never materialized',
  op: { type: 'noop' },
  codeVersion: 'fail-1',
  checks: [],
};
let env: TestEnv;

beforeAll(async () => {
  env = await createTestEnv('run_metadata');
  await env.startWorker(new AssetGraph([...platformAssets(), ...many, failing]));
});

afterAll(async () => {
  await env?.close();
});

describe('runs in the Temporal UI', () => {
  it(`when a run materializes ${MANY} assets, then it starts, its DwAssetKeys stay under 2 KB and its memo lists every key`, async () => {
    const keys = many.map((a) => a.key);
    const handle = await startMaterialize(
      env.client,
      { selection: 'test/many/*', assetKeys: keys, sourceDir: '/nonexistent', maxParallel: 25 },
      keys,
      env.taskQueue,
    );
    const summary = await awaitSummary(env.client, handle.workflowId, handle.firstExecutionRunId);
    expect(summary.status).toBe('success');
    expect(summary.assets.filter((a) => a.state === 'materialized')).toHaveLength(MANY);

    const d = await handle.describe();
    const attribute = d.typedSearchAttributes.get(SA_ASSET_KEYS);
    expect(attribute).toEqual(['test/many/*']);
    expect(JSON.stringify(keys).length).toBeGreaterThan(2048);
    expect((d.memo as { assetKeys: string[] }).assetKeys).toEqual(keys);
    // The bounded value is still searchable.
    const found = [];
    for await (const w of env.client.workflow.list({ query: `DwAssetKeys = 'test/many/*' AND TaskQueue = '${env.taskQueue}'` }))
      found.push(w.workflowId);
    expect(found).toContain(handle.workflowId);
  });

  it('when a run starts, then its summary names selection, partition, source and who started it, and its details the flags', async () => {
    const keys = ['test/many/asset_0001'];
    const input = { selection: 'test/many/asset_0001', assetKeys: keys, sourceDir: '/data/export-2018', force: true };
    const handle = await startMaterialize(env.client, input, keys, env.taskQueue);
    await awaitSummary(env.client, handle.workflowId, handle.firstExecutionRunId);
    const d = await handle.describe();
    const summary = await d.staticSummary();
    expect(summary).toMatch(/^materialize test\/many\/asset_0001 from \/data\/export-2018, by \S+@\S+$/);
    expect(await d.staticDetails()).toContain('**flags** --force');
    expect((d.memo as { startedBy: string }).startedBy).toBe(summary?.split(', by ')[1]);
  });

  it('when a run fails, then its current details name the root cause without opening the history', async () => {
    const keys = [failing.key];
    const handle = await startMaterialize(
      env.client,
      { selection: failing.key, assetKeys: keys, sourceDir: '/nonexistent' },
      keys,
      env.taskQueue,
    );
    const summary = await awaitSummary(env.client, handle.workflowId, handle.firstExecutionRunId);
    expect(summary.status).toBe('failed');
    const metadata = await handle.query<{ currentDetails: string }>('__temporal_workflow_metadata');
    expect(metadata.currentDetails).toMatch(
      /^\*\*failed\*\*: test\/needs_upstream: ASSET\.UPSTREAM_MISSING: test\/needs_upstream needs raw\/orders/,
    );
  });
});
