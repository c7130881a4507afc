// The report of `dw backfill --plan`: what would run per partition and why, with predicted durations.
import type { BackfillPlan } from '../activities/backfill/plan';
import { ms, table } from './output';

export function planReport(plan: BackfillPlan, maxParallel: number): string {
  // The asset partitions that are the reason to run; those that only follow them are counted.
  const line = (n: { toRun: { node: string; status: string; reason?: string }[] }) => {
    const roots = n.toRun.filter((s) => !s.reason?.startsWith('upstream '));
    const follow = n.toRun.length - roots.length;
    return [
      ...roots.map((s) => `${s.node} (${s.status}${s.reason ? `: ${s.reason}` : ''})`),
      ...(follow ? [`+${follow} downstream of them`] : []),
    ].join('; ');
  };
  const running = plan.partitions.filter((p) => p.toRun.length);
  const partitionsMs = running.reduce((sum, p) => sum + p.predictedMs, 0) / Math.max(1, Math.min(maxParallel, running.length));
  const total = plan.upstream.predictedMs + partitionsMs + plan.downstream.predictedMs;
  return [
    table(
      [
        ...(plan.upstream.keys.length
          ? [['upstream', plan.upstream.toRun.length ? 'run' : 'current', ms(plan.upstream.predictedMs || undefined), line(plan.upstream)]]
          : []),
        ...plan.partitions.map((p) => [p.partitionKey, p.toRun.length ? 'run' : 'current', ms(p.predictedMs || undefined), line(p)]),
        ...(plan.downstream.keys.length
          ? [
              [
                'downstream',
                plan.downstream.toRun.length ? 'run' : 'current (unless a partition runs)',
                ms(plan.downstream.predictedMs || undefined),
                line(plan.downstream),
              ],
            ]
          : []),
      ],
      ['partition', 'plan', 'predicted', 'asset partitions to run'],
    ),
    `${running.length} partition(s) would run, ${plan.partitions.length - running.length} current; predicted ${ms(Math.round(total))} at --max-parallel ${maxParallel}${plan.unknownPredictions ? ` (${plan.unknownPredictions} without history, not counted)` : ''}`,
    ...(plan.upstream.toRun.length
      ? [
          plan.partitions.length
            ? 'the upstream runs first: partitions are assessed again after it, so fewer may run'
            : 'the months are known once the upstream (staging) has run: it runs first',
        ]
      : []),
  ].join('\n');
}
