// The current activity's context, or undefined when the code runs outside an activity (direct calls in tests, bench).
import { Context } from '@temporalio/activity';

export function activityContext(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined;
  }
}
