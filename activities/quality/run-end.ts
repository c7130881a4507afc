// The end of a run: its quality scores against the SLA (overall ≥ 95%), stored per run, then retention of old results.
import { ApplicationFailure } from '@temporalio/common';
import { resolveSlaPolicy, type SlaDecision } from '../../domain/quality';
import { loadConfig } from '../../infra/config';
import type { Pool } from '../../infra/db';
import { logger } from '../../infra/logger';
import { applyRetention, scoreRun } from './store';

/** What the run summary says about quality; absent when the run evaluated nothing (every asset was current). */
export interface RunQualitySummary {
  /** Overall weighted score in [0,1]. */
  score: number;
  sla: SlaDecision;
  /** The SLA's overall floor, e.g. 0.95. */
  floor: number;
  byDimension: Record<string, number>;
  expectations: number;
  failed: number;
  /** The reasons for warn or block: the breach first, then failed expectations (at most 20). */
  reasons: string[];
}

const log = logger('quality');

/**
 * Scores the run (dw_meta.quality_scores) with the SLA policy (DW_QUALITY_SLA: a breach warns, or blocks: the run
 * fails with QUALITY.SLA_BREACH after its end is recorded), then deletes results older than DW_QUALITY_RETENTION_DAYS.
 */
export async function runQuality(pool: Pool, runId: string): Promise<RunQualitySummary | undefined> {
  const config = loadConfig();
  const policy = resolveSlaPolicy({ onBreach: config.qualitySla });
  const scored = await scoreRun(pool, runId, policy);
  const removed = await applyRetention(pool, config.qualityRetentionDays);
  if (removed.results || removed.scores) log.info('quality retention', { ...removed, days: config.qualityRetentionDays });
  if (!scored) return undefined;
  const { verdict } = scored;
  const overall = verdict.scores.overall;
  const breach = verdict.reasons.filter((r) => r.code === 'QUALITY.OVERALL_BELOW_SLA' || r.code === 'QUALITY.ASSET_BELOW_FLOOR');
  const others = verdict.reasons.filter((r) => !breach.includes(r));
  return {
    score: overall?.score ?? 1,
    sla: breach.length ? policy.onBreach : verdict.decision === 'block' ? 'warn' : verdict.decision,
    floor: policy.overallFloor,
    byDimension: Object.fromEntries(Object.entries(verdict.scores.byDimension).map(([d, c]) => [d, c.score])),
    expectations: overall?.expectations ?? 0,
    failed: overall?.failed ?? 0,
    reasons: [...breach, ...others].slice(0, 20).map((r) => `${r.code}: ${r.message}`),
  };
}

/** The run summary with its quality; with DW_QUALITY_SLA=block and a breach, the error that fails the run once its end is recorded. */
export function slaFailure(quality: RunQualitySummary | undefined): ApplicationFailure | undefined {
  if (quality?.sla !== 'block') return undefined;
  return ApplicationFailure.nonRetryable(
    `quality SLA breached: ${quality.reasons[0] ?? 'score below the floor'}; see dw quality failures`,
    'QUALITY.SLA_BREACH',
  );
}
