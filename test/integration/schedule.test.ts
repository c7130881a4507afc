// dw schedule on Temporal Schedules: a schedule created with the CLI fires, its runs carry their search attributes,
// and it can be listed, paused, triggered and deleted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scheduleId } from '../../cli/schedule-client';
import { SA_ASSET_KEYS, SA_SELECTION } from '../../workflows/definitions';
import { dw as run, stopCliWorker } from '../support/cli';
import { createTestEnv, type TestEnv } from '../support/env';

let env: TestEnv;
const dw = (args: string[]) => run(env, args);
const SELECTION = 'raw/category_translation';

beforeAll(async () => {
  env = await createTestEnv('schedule');
});

afterAll(async () => {
  dw(['schedule', 'delete', 'tick']);
  stopCliWorker(env);
  await env?.close();
});

async function scheduledRuns(id: string) {
  const runs = [];
  for await (const w of env.client.workflow.list({ query: `TemporalScheduledById = '${id}'` })) runs.push(w);
  return runs;
}

describe('dw schedule', () => {
  it('when a schedule is created with a short interval, then it fires and its runs are visible with their search attributes', async () => {
    const created = dw(['schedule', 'create', 'tick', '--every', '3s', '--select', SELECTION, '--json']);
    expect(created.code, created.stderr).toBe(0);
    const id = scheduleId('tick', env.taskQueue);
    let runs: Awaited<ReturnType<typeof scheduledRuns>> = [];
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && !runs.some((w) => w.status.name === 'COMPLETED')) {
      await new Promise((res) => setTimeout(res, 1_000));
      runs = await scheduledRuns(id);
    }
    const done = runs.find((w) => w.status.name === 'COMPLETED');
    expect(done, 'a scheduled run completed').toBeDefined();
    expect(done?.type).toBe('materializeWorkflow');
    expect(done?.typedSearchAttributes.get(SA_SELECTION)).toBe(SELECTION);
    expect(done?.typedSearchAttributes.get(SA_ASSET_KEYS)).toEqual([SELECTION]);
    const status = JSON.parse(dw(['status', '--json']).stdout);
    expect(status.assets.find((a: { assetKey: string }) => a.assetKey === SELECTION)).toMatchObject({ status: 'success', rowsWritten: 71 });
  });

  it('when it is listed, paused, triggered and deleted, then the CLI shows each state', () => {
    const list = JSON.parse(dw(['schedule', 'list', '--json']).stdout);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ name: 'tick', spec: 'every 3s', selection: SELECTION, paused: false });
    expect(list[0].lastRuns.length).toBeGreaterThan(0);

    expect(dw(['schedule', 'pause', 'tick', '--note', 'maintenance']).code).toBe(0);
    expect(JSON.parse(dw(['schedule', 'list', '--json']).stdout)[0]).toMatchObject({ paused: true, note: 'maintenance' });
    expect(dw(['schedule', 'trigger', 'tick']).code).toBe(0);
    expect(dw(['schedule', 'create', 'tick', '--every', '3s']).stderr).toContain("schedule 'tick' exists");
    expect(dw(['schedule', 'delete', 'tick']).code).toBe(0);
    expect(JSON.parse(dw(['schedule', 'list', '--json']).stdout)).toEqual([]);
    expect(dw(['schedule', 'pause', 'tick']).code).toBe(2);
    expect(dw(['schedule', 'create', 'x', '--every', 'soon']).stderr).toContain("--every 'soon' is not a duration");
    expect(dw(['schedule', 'create', 'x', '--every', '1m', '--overlap', 'sometimes']).code).toBe(2);
  });
});
