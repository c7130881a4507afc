// An activity interceptor that observes every activity's duration (and each asset's materialization) in the metrics.
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import type { Metrics } from './metrics';

/** The asset of a materializeAsset call and the outcome it returned, read loosely (infra does not import activities). */
function assetOf(args: unknown[]): string | undefined {
  const key = (args[0] as { assetKey?: unknown } | undefined)?.assetKey;
  return typeof key === 'string' ? key : undefined;
}

/** Also tells the ledger gauges' cache when activities start and finish (it reads dw_meta again after a run). */
export function activityMetrics(metrics: Metrics): ActivityInterceptorsFactory {
  return (ctx) => ({
    inbound: {
      async execute(input, next) {
        const activity = ctx.info.activityType;
        const asset = activity === 'materializeAsset' ? assetOf(input.args) : undefined;
        const started = performance.now();
        metrics.ledger.activityStarted();
        try {
          const result = await next(input);
          const seconds = (performance.now() - started) / 1000;
          metrics.activityDuration.observe({ activity, outcome: 'completed' }, seconds);
          const outcome = (result as { outcome?: unknown } | undefined)?.outcome;
          if (asset)
            metrics.materializationDuration.observe({ asset, outcome: typeof outcome === 'string' ? outcome : 'completed' }, seconds);
          return result;
        } catch (err) {
          const seconds = (performance.now() - started) / 1000;
          metrics.activityDuration.observe({ activity, outcome: 'failed' }, seconds);
          if (asset) metrics.materializationDuration.observe({ asset, outcome: 'error' }, seconds);
          throw err;
        } finally {
          metrics.ledger.activityFinished();
        }
      },
    },
  });
}
