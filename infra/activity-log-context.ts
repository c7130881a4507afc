// An activity interceptor that puts the activity's ids (workflow, run, activity, asset, partition, attempt) on every log line.
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { logger, scrubRowContents, withLogContext } from './logger';

/** The asset and partition of an activity's input, read loosely (infra does not import activities). */
function inputRef(args: unknown[]): { asset?: string; partition?: string } {
  const input = args[0] as { assetKey?: unknown; partitionKey?: unknown } | undefined;
  return {
    asset: typeof input?.assetKey === 'string' ? input.assetKey : undefined,
    partition: typeof input?.partitionKey === 'string' && input.partitionKey !== '' ? input.partitionKey : undefined,
  };
}

export function activityLogContext(): ActivityInterceptorsFactory {
  return (ctx) => ({
    inbound: {
      execute(input, next) {
        const { info } = ctx;
        const fields = {
          workflowId: info.workflowExecution?.workflowId,
          runId: info.workflowExecution?.runId,
          activityId: info.activityId,
          activity: info.activityType,
          attempt: info.attempt,
          ...inputRef(input.args),
        };
        return withLogContext(fields, async () => {
          try {
            const result = await next(input);
            // materializeAsset returns an expected failure as a value: its error is the run's root cause, so it is logged here.
            const failed = result as { outcome?: unknown; error?: { code?: unknown; message?: unknown } } | undefined;
            if (failed?.outcome === 'failed' && failed.error) {
              logger('activity').error(`asset failed: ${String(failed.error.message)}`, { code: failed.error.code });
            }
            return result;
          } catch (err) {
            // A PostgreSQL error's DETAIL/CONTEXT quote rows: gone before it is logged here, by the SDK, or sent to Temporal.
            scrubRowContents(err);
            logger('activity').error(`activity failed: ${(err as Error).message}`, { error: (err as Error).stack ?? String(err) });
            throw err;
          }
        });
      },
    },
  });
}

/** Only the scrub of row contents from a failed activity's error (DW_OBSERVABILITY=off installs nothing else). */
export function scrubActivityErrors(): ActivityInterceptorsFactory {
  return () => ({
    inbound: {
      async execute(input, next) {
        try {
          return await next(input);
        } catch (err) {
          scrubRowContents(err);
          throw err;
        }
      },
    },
  });
}
