// The audit step of write-audit-publish for dbt models: the mart suites on the shadow relations, before publication.
import type { Pool } from '../../infra/db';
import { loadConfig } from '../../infra/config';
import type { CheckResult } from '../types';
import type { Relation } from '../dbt/wap';
import { QUALITY_BLOCKING_CHECK, dataAsOf, evaluateSuites, qualityChecks, suitesOf } from './evaluate';
import { dbtTestResult } from './external';
import { quoteIdent } from './observe-sql';
import { recordResults, type StoredResult } from './store';

export interface AuditModel {
  key: string;
  /** dbt built it and its tests passed: the suites run on its shadow. Otherwise only its dbt tests are recorded. */
  built: boolean;
  /** Checks the build recorded (the dbt tests from run_results.json). */
  checks: readonly CheckResult[];
  /** Rebuilt for one month only (an incremental fact in a partition run): the suites read that month. */
  partitionKey?: string;
}

export interface AuditContext {
  runId: string;
  partitionKey: string;
  /** The published relation of a model key; `shadow` the relation this build wrote. */
  relation: (key: string) => Relation;
  shadow: (key: string) => Relation;
  /** Whether the model's published relation exists (the previous successful version, for drift). */
  published: (key: string) => boolean;
  /** Whether this build wrote the model's shadow and it is still to publish (references read it then, else the published one). */
  builtHere: (key: string) => boolean;
}

export interface Audit {
  checks: CheckResult[];
  /** Set when a blocking expectation failed: the model is not published and its dependants are blocked. */
  error?: { code: string; message: string };
}

const q = (r: Relation) => `${quoteIdent(r.schema)}.${quoteIdent(r.name)}`;

/** Audits the models, records every result (suites and dbt tests) and returns each audited model's checks and verdict. DW_QUALITY=off: nothing. */
export async function auditShadows(pool: Pool, ctx: AuditContext, models: readonly AuditModel[]): Promise<Map<string, Audit>> {
  const audits = new Map<string, Audit>();
  if (!loadConfig().quality || models.length === 0) return audits;
  const results: StoredResult[] = [];
  const client = await pool.connect();
  try {
    const asOf = dataAsOf(client);
    const resolve = (asset: string) => q(ctx.builtHere(`dbt/${asset}`) ? ctx.shadow(`dbt/${asset}`) : ctx.relation(`dbt/${asset}`));
    for (const m of models) {
      const at = { runId: ctx.runId, assetKey: m.key, partitionKey: ctx.partitionKey };
      results.push(...m.checks.filter((c) => c.name !== 'shrink_guard').map((c) => dbtTestResult(c, at)));
      const bindings = suitesOf(m.key);
      if (!m.built || bindings.length === 0) continue;
      const target = {
        relation: q(ctx.shadow(m.key)),
        provenance: false,
        ...(m.partitionKey ? { partitionKey: m.partitionKey } : {}),
        ...(ctx.published(m.key) ? { previousRelation: q(ctx.relation(m.key)) } : {}),
      };
      const suiteResults = await evaluateSuites(client, bindings, at, () => target, { resolve, asOf });
      results.push(...suiteResults);
      const checks = qualityChecks(suiteResults);
      const blocking = checks.find((c) => c.name === QUALITY_BLOCKING_CHECK && !c.passed);
      audits.set(m.key, {
        checks,
        ...(blocking ? { error: { code: 'QUALITY.BLOCKING_EXPECTATION_FAILED', message: blocking.message } } : {}),
      });
    }
  } finally {
    client.release();
  }
  await recordResults(pool, results);
  return audits;
}
