// Runs started around the CLI (issue 20 item 4): the worker admits only inputs the CLI signed for the run's workflow id,
// audits every run it executes (refused ones too), and a Temporal UI-style reset of a signed run still runs, audited.
import { randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure, defineSearchAttributeKey } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awaitSummary, materializeWorkflowId, signedInput, startMaterialize } from '../../cli/temporal-client';
import { EMBEDDED } from '../../infra/config';
import { scheduleBinding, workflowBinding } from '../../infra/run-signature';
import { temporalCli } from '../../infra/services/temporal';
import type { MaterializeInput } from '../../workflows/definitions';
import { createTestEnv, type TestEnv } from '../support/env';
import { copySource } from '../support/fixtures';

const SELECTION = 'raw/category_translation';
const FILE = 'product_category_name_translation.csv';
let env: TestEnv;
let source: string;

interface Event {
  id: number;
  action: string;
  phase: string;
  outcome: string | null;
  runId: string | null;
  detail: Record<string, unknown>;
}

beforeAll(async () => {
  env = await createTestEnv('run_admission');
  await env.startWorker();
  source = copySource();
}, 120_000);

afterAll(async () => {
  await env?.close();
  fs.rmSync(source, { recursive: true, force: true });
});

/** What a run changed: ledger rows, run records and the raw table the selection loads. */
async function footprint() {
  const q = async (sql: string) => Number((await env.pool.query(sql)).rows[0].n);
  return {
    materializations: await q('SELECT count(*) AS n FROM dw_meta.materializations'),
    runs: await q('SELECT count(*) AS n FROM dw_meta.runs'),
    rawRows: await q('SELECT count(*) AS n FROM raw.category_translation'),
  };
}

/** The worker's audit events of one workflow id. */
async function runEvents(workflowId: string): Promise<Event[]> {
  const r = await env.pool.query(
    `SELECT id::int, action, phase, outcome, run_id AS "runId", detail FROM audit.events WHERE detail->>'workflowId' = $1 ORDER BY id`,
    [workflowId],
  );
  return r.rows as Event[];
}

/** The run's failure type (the refusal's code), or 'completed'. */
async function outcomeOf(workflowId: string, runId?: string): Promise<string> {
  try {
    await env.client.workflow.getHandle(workflowId, runId).result();
    return 'completed';
  } catch (err) {
    if (err instanceof WorkflowFailedError && err.cause instanceof ApplicationFailure) return err.cause.type ?? 'failed';
    throw err;
  }
}

const startDirect = (workflowId: string, input: unknown) =>
  env.client.workflow.start('materializeWorkflow', { taskQueue: env.taskQueue, workflowId, args: [input] });

describe('runs started around the CLI', () => {
  it('when another OS user starts a run with the Temporal CLI on the dev server, then it changes nothing and is audited as refused', async () => {
    const before = await footprint();
    const workflowId = `attack-cli-${randomUUID()}`;
    const input = JSON.stringify({ selection: SELECTION, sourceDir: source });
    const cli = [temporalCli(), 'workflow', 'start', '--address', `127.0.0.1:${EMBEDDED.temporalPort}`, '--namespace', 'default'];
    const args = [...cli, '--type', 'materializeWorkflow', '--task-queue', env.taskQueue, '--workflow-id', workflowId, '--input', input];
    // As root the attacker is `nobody` (runuser); as an ordinary user the same command as that user: the worker cannot tell.
    const asNobody = process.getuid?.() === 0 && spawnSync('runuser', ['-u', 'nobody', '--', 'true']).status === 0;
    const r = asNobody
      ? spawnSync('runuser', ['-u', 'nobody', '--', ...args], { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: os.tmpdir() } })
      : spawnSync(args[0] as string, args.slice(1), { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);

    expect(await outcomeOf(workflowId)).toBe('RUN.UNSIGNED');
    expect(await footprint()).toEqual(before);
    const events = await runEvents(workflowId);
    expect(events.map((e) => `${e.phase}:${e.outcome ?? ''}`)).toEqual(['start:', 'end:refused']);
    expect(events[0]?.detail).toMatchObject({
      workflowType: 'materializeWorkflow',
      input: { selection: SELECTION, sourceDir: source },
      admission: { admitted: false, code: 'RUN.UNSIGNED' },
    });
    // The identity the CLI gave the server (it names the OS user, but any client may claim any identity).
    expect(String(events[0]?.detail.temporalIdentity)).toMatch(asNobody ? /nobody/ : /./);
    expect(events[1]?.detail).toMatchObject({ code: 'RUN.UNSIGNED' });
  });

  it('when a run is started through the SDK without a signature, then it fails RUN.UNSIGNED before any other activity', async () => {
    const before = await footprint();
    const workflowId = `attack-sdk-${randomUUID()}`;
    await startDirect(workflowId, { selection: SELECTION, sourceDir: source });
    expect(await outcomeOf(workflowId)).toBe('RUN.UNSIGNED');
    expect(await footprint()).toEqual(before);
    const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
    // Admission is a local activity (one marker); no other activity, local or not, and no child was scheduled.
    const events = history.events ?? [];
    expect(events.filter((e) => e.markerRecordedEventAttributes)).toHaveLength(1);
    expect(events.some((e) => e.activityTaskScheduledEventAttributes || e.startChildWorkflowExecutionInitiatedEventAttributes)).toBe(false);
    expect((await runEvents(workflowId)).map((e) => e.outcome)).toEqual([null, 'refused']);
  });

  it('when a signed input is re-used under another workflow id, or changed, then the run is refused (RUN.REBOUND, RUN.BAD_SIGNATURE)', async () => {
    const before = await footprint();
    const input: MaterializeInput = { selection: SELECTION, sourceDir: source };
    const signed = signedInput('materializeWorkflow', workflowBinding(materializeWorkflowId(SELECTION, undefined, env.taskQueue)), input);

    const rebound = `attack-rebound-${randomUUID()}`;
    await startDirect(rebound, signed);
    expect(await outcomeOf(rebound)).toBe('RUN.REBOUND');

    // The signature claims the new id: the HMAC no longer matches.
    const claimed = `attack-claimed-${randomUUID()}`;
    await startDirect(claimed, { ...signed, runSignature: { ...signed.runSignature, boundTo: workflowBinding(claimed) } });
    expect(await outcomeOf(claimed)).toBe('RUN.BAD_SIGNATURE');

    // Signed for its own id, then pointed at another folder.
    const tamperedId = `attack-tampered-${randomUUID()}`;
    const other = copySource();
    try {
      const own = signedInput('materializeWorkflow', workflowBinding(tamperedId), input);
      await startDirect(tamperedId, { ...own, sourceDir: other });
      expect(await outcomeOf(tamperedId)).toBe('RUN.BAD_SIGNATURE');
      // A backfill's child names a parent, but nothing started it as one.
      const orphan = `attack-orphan-${randomUUID()}`;
      await startDirect(orphan, {
        ...input,
        signedParent: { workflowType: 'backfillWorkflow', input: { ...input, backfillId: 'x', assetKeys: [] } },
      });
      expect(await outcomeOf(orphan)).toBe('RUN.UNSIGNED');
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }

    // Signed for a schedule, started directly with the schedule's search attribute forged: the schedule did not start it.
    const forged = `attack-schedule-${randomUUID()}`;
    await env.client.workflow.start('materializeWorkflow', {
      taskQueue: env.taskQueue,
      workflowId: forged,
      args: [signedInput('materializeWorkflow', scheduleBinding('nightly'), input)],
      typedSearchAttributes: [{ key: defineSearchAttributeKey('TemporalScheduledById', 'KEYWORD'), value: 'nightly' }],
    });
    expect(await outcomeOf(forged)).toBe('RUN.REBOUND');
    expect((await runEvents(forged))[0]?.detail).toMatchObject({ scheduledBy: 'nightly', binding: scheduleBinding('nightly') });

    expect(await footprint()).toEqual(before);
    for (const [id, code] of [
      [rebound, 'RUN.REBOUND'],
      [claimed, 'RUN.BAD_SIGNATURE'],
      [tamperedId, 'RUN.BAD_SIGNATURE'],
      [forged, 'RUN.REBOUND'],
    ] as const) {
      const events = await runEvents(id);
      expect(events.map((e) => e.outcome)).toEqual([null, 'refused']);
      expect(events[1]?.detail).toMatchObject({ code });
    }
  });

  it('when a signed run fails and is reset from its first workflow task (as the Temporal UI does), then the new run is admitted, runs and is audited', async () => {
    const dir = copySource();
    const saved = fs.readFileSync(path.join(dir, FILE));
    fs.rmSync(path.join(dir, FILE));
    try {
      const before = await footprint();
      const handle = await startMaterialize(env.client, { selection: SELECTION, sourceDir: dir }, [SELECTION], env.taskQueue);
      const failed = await awaitSummary(env.client, handle.workflowId, handle.firstExecutionRunId);
      expect(failed.status).toBe('failed');
      const first = await runEvents(handle.workflowId);
      expect(first.map((e) => `${e.phase}:${e.outcome ?? ''}`)).toEqual(['start:', 'end:failed']);
      expect(first[0]?.detail).toMatchObject({ admission: { admitted: true, via: 'signature' }, memo: { startedBy: expect.any(String) } });

      fs.writeFileSync(path.join(dir, FILE), saved); // the operator fixes the drop, then resets the run in the UI
      const history = await env.client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId).fetchHistory();
      const firstTask = (history.events ?? []).find((e) => e.workflowTaskCompletedEventAttributes);
      const reset = await env.client.workflowService.resetWorkflowExecution({
        namespace: 'default',
        workflowExecution: { workflowId: handle.workflowId, runId: handle.firstExecutionRunId },
        workflowTaskFinishEventId: firstTask?.eventId,
        reason: 'source fixed',
        requestId: randomUUID(),
        identity: 'operator@temporal-ui',
      });
      const newRunId = reset.runId as string;
      expect(await outcomeOf(handle.workflowId, newRunId)).toBe('completed');

      const after = await footprint();
      expect(after.rawRows).toBe(71);
      expect(after.materializations).toBeGreaterThan(before.materializations);
      const events = (await runEvents(handle.workflowId)).filter((e) => e.runId === newRunId);
      expect(events.map((e) => `${e.phase}:${e.outcome ?? ''}`)).toEqual(['start:', 'end:ok']);
      expect(events[0]?.detail).toMatchObject({
        admission: { admitted: true, via: 'signature' },
        reset: { reason: 'source fixed', baseRunId: handle.firstExecutionRunId },
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
