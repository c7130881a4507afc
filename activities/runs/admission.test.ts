// The admission verdict on what the Temporal server recorded of a run's start: own signature, schedule, backfill child.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { scheduleBinding, signRun, workflowBinding } from '../../infra/run-signature';
import { type StartFacts, verdictOn } from './admission';

const key = randomBytes(32);
const queue = 'dw';
const backfillInput = { backfillId: 'bf-1', selection: 'domain/sales/*', assetKeys: ['a', 'b'], sourceDir: '/drop', force: true };
const signedBackfill = signRun(key, 'backfillWorkflow', workflowBinding('bf-1'), backfillInput);
const child = {
  selection: 'domain/sales/*',
  assetKeys: ['a'],
  partitionKey: '2017-03',
  sourceDir: '/drop',
  force: true,
  maxParallel: 2,
  signedParent: { workflowType: 'backfillWorkflow', input: signedBackfill },
};
const facts = (input: unknown, extra: Partial<StartFacts> = {}): StartFacts => ({ input, identity: 'x', memo: {}, ...extra });
const server = (parent = { type: 'backfillWorkflow', taskQueue: queue }, scheduled = true) => ({
  describeParent: async () => parent,
  scheduleStarted: async () => scheduled,
});
const verdict = async (workflowType: string, workflowId: string, f: StartFacts, s = server()) =>
  (await verdictOn(key, { workflowType, workflowId, taskQueue: queue }, f, s)).verdict;
const parent = { workflowId: 'bf-1', runId: 'r1' };

describe('verdictOn', () => {
  it("when a backfill's child carries its parent's signed input and lies within it, then it is admitted", async () => {
    expect(await verdict('materializeWorkflow', 'bf-1/2017-03', facts(child, { parent }))).toEqual({ ok: true });
  });

  it('when the child was not started by that parent, or leaves its input, then it is refused', async () => {
    expect(await verdict('materializeWorkflow', 'bf-1/2017-03', facts(child))).toMatchObject({ code: 'RUN.UNSIGNED' });
    const other = { workflowId: 'bf-2', runId: 'r2' };
    expect(await verdict('materializeWorkflow', 'bf-2/2017-03', facts(child, { parent: other }))).toMatchObject({ code: 'RUN.REBOUND' });
    for (const changed of [{ sourceDir: '/etc' }, { force: false }, { allowShrink: true }, { assetKeys: ['a', 'z'] }]) {
      expect(await verdict('materializeWorkflow', 'bf-1/2017-03', facts({ ...child, ...changed }, { parent }))).toMatchObject({
        code: 'RUN.BAD_SIGNATURE',
      });
    }
    expect(await verdict('materializeWorkflow', 'elsewhere', facts(child, { parent }))).toMatchObject({ code: 'RUN.BAD_SIGNATURE' });
    const foreign = server({ type: 'attackerWorkflow', taskQueue: 'mine' });
    expect(await verdict('materializeWorkflow', 'bf-1/2017-03', facts(child, { parent }), foreign)).toMatchObject({
      code: 'RUN.BAD_SIGNATURE',
    });
  });

  it('when a backfill carries progress state, then it is admitted only in a run that continued from another', async () => {
    const state = { runs: 1 };
    expect(await verdict('backfillWorkflow', 'bf-1', facts({ ...signedBackfill, state }, { continuedFrom: 'r0' }))).toEqual({ ok: true });
    expect(await verdict('backfillWorkflow', 'bf-1', facts({ ...signedBackfill, state }))).toMatchObject({ code: 'RUN.BAD_SIGNATURE' });
  });

  it("when a schedule's fire carries the input signed for the schedule, then it is admitted only if the schedule started it", async () => {
    const input = signRun(key, 'materializeWorkflow', scheduleBinding('nightly'), { selection: '*', sourceDir: '/drop' });
    const fire = facts(input, { scheduledBy: 'nightly' });
    expect(await verdict('materializeWorkflow', 'schedule:nightly-2026', fire)).toEqual({ ok: true });
    expect(await verdict('materializeWorkflow', 'schedule:nightly-2026', fire, server(undefined, false))).toMatchObject({
      code: 'RUN.REBOUND',
    });
    expect(await verdict('materializeWorkflow', 'schedule:nightly', facts(input))).toMatchObject({ code: 'RUN.REBOUND' });
    expect(await verdict('materializeWorkflow', 'x', facts(input, { scheduledBy: 'other' }))).toMatchObject({ code: 'RUN.REBOUND' });
  });

  it('when the input is not an object (undecodable, absent), then RUN.UNSIGNED', async () => {
    expect(await verdict('materializeWorkflow', 'x', facts('[undecodable payload]'))).toMatchObject({ code: 'RUN.UNSIGNED' });
    expect(await verdict('materializeWorkflow', 'x', facts(undefined))).toMatchObject({ code: 'RUN.UNSIGNED' });
  });
});
