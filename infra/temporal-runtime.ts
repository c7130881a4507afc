// Installs the Temporal SDK runtime with its Prometheus exporter (workflow/activity latencies, slots, sticky cache) on its own port.
import net from 'node:net';
import { Runtime } from '@temporalio/worker';
import { logger } from './logger';

/** The SDK metrics the worker/Temporal dashboard reads (histograms in seconds); the metrics integration test sees each. */
export const TEMPORAL_SDK_METRICS = [
  'temporal_activity_execution_latency',
  'temporal_activity_schedule_to_start_latency',
  'temporal_workflow_endtoend_latency',
  'temporal_workflow_task_schedule_to_start_latency',
  'temporal_worker_task_slots_available',
  'temporal_worker_task_slots_used',
  'temporal_sticky_cache_size',
  'temporal_sticky_cache_hit',
  'temporal_workflow_completed',
  'temporal_num_pollers',
] as const;

function portFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
}

/**
 * The SDK's metrics go to host:port/metrics; a port in use (another worker on this machine) installs the runtime
 * without them and logs a warning. Returns whether the exporter is on. Call before any Temporal connection.
 */
export async function installTemporalRuntime(port: number, host = '127.0.0.1'): Promise<boolean> {
  if (!(await portFree(port, host))) {
    logger('metrics').warn('Temporal SDK metrics port in use: SDK metrics are not exported by this worker', { host, port });
    Runtime.install({});
    return false;
  }
  Runtime.install({ telemetryOptions: { metrics: { prometheus: { bindAddress: `${host}:${port}`, useSecondsForDurations: true } } } });
  return true;
}
