// The runs a command started, noted by the Temporal client so that the command's audit end event names them.
const started: string[] = [];

/** Notes a started (or attached-to) run and hands its handle on: `client.workflow.start(…).then(noteRun)`. */
export function noteRun<T extends { workflowId: string }>(handle: T): T {
  started.push(handle.workflowId);
  return handle;
}

export const runsStarted = (): readonly string[] => started;
