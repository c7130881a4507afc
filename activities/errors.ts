// Failures of activities: bad input is non-retryable with a stable code; anything else is thrown plainly and retried.
import { ApplicationFailure } from '@temporalio/common';

/** A permanent failure caused by the input (a file, a contract, a selection): retrying cannot help. */
export function badInput(code: string, message: string, details?: Record<string, unknown>): ApplicationFailure {
  return ApplicationFailure.create({ type: code, message, nonRetryable: true, details: details ? [details] : [] });
}
