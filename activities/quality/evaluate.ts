// Runs the suites of an asset on what it just wrote (domain tables in the write's transaction, dbt models on their shadows).
import type { PoolClient } from 'pg';
import { judge, type Expectation } from '../../domain/quality';
import type { CheckResult } from '../types';
import { observeSql, quoteIdent, type ObserveEnv, type Target } from './observe-sql';
import { toStored, type StoredResult } from './store';
import { platformSuites, type SuiteBinding } from './suites';

export const QUALITY_BLOCKING_CHECK = 'quality_expectations';
export const QUALITY_WARNING_CHECK = 'quality_warnings';

const firstColumn = (e: Expectation): string | null => {
  switch (e.kind) {
    case 'unique':
      return e.columns.join(',');
    case 'column_pair':
      return `${e.left},${e.right}`;
    case 'row_count_between':
      return null;
    default:
      return e.column;
  }
};

/**
 * The data's as-of date: the last purchase date in the validated orders (never the wall clock; today's date when there
 * are none), read once per evaluation and only when asked.
 */
export function dataAsOf(client: PoolClient): () => Promise<string> {
  let asOf: Promise<string> | undefined;
  return () =>
    (asOf ??= client
      .query(`SELECT coalesce(to_char(max(purchased_at), 'YYYY-MM-DD'), to_char(now(), 'YYYY-MM-DD')) AS d FROM sales.orders`)
      .then((r) => r.rows[0].d as string));
}

export const quoteRelation = (name: string): string => name.split('.').map(quoteIdent).join('.');

let cachedBindings: SuiteBinding[] | undefined;
/** The suites checking `assetKey` (the platform's unless given). */
export function suitesOf(assetKey: string, bindings?: readonly SuiteBinding[]): SuiteBinding[] {
  const all = bindings ?? (cachedBindings ??= platformSuites());
  return all.filter((b) => b.assetKey === assetKey);
}

/**
 * Evaluates every expectation of the asset's suites: one SQL measurement each (plus one for failing examples), judged
 * by the pure domain rule. `targetOf` maps a suite's relation to what to read; `env` resolves referenced relations.
 */
export async function evaluateSuites(
  client: PoolClient,
  bindings: readonly SuiteBinding[],
  at: { runId: string; assetKey: string; partitionKey: string },
  targetOf: (relation: string) => Target,
  env: ObserveEnv,
): Promise<StoredResult[]> {
  const out: StoredResult[] = [];
  for (const { suite } of bindings) {
    const target = targetOf(suite.asset);
    for (const e of suite.expectations) {
      const result = judge(e, await observeSql(client, e, target, env));
      out.push(toStored(result, { ...at, suite: suite.name, source: 'suite', columnName: firstColumn(e) }));
    }
  }
  return out;
}

/** The ledger checks of a suite evaluation: blocking when a block-severity expectation failed, a warning otherwise. */
export function qualityChecks(results: readonly StoredResult[]): CheckResult[] {
  const suite = results.filter((r) => r.source === 'suite');
  if (suite.length === 0) return [];
  const describe = (rs: StoredResult[]) =>
    rs.map((r) => `${r.expectationId}: ${(r.observed as { message?: string } | null)?.message ?? r.outcome}`).join('; ');
  const blocking = suite.filter((r) => r.outcome === 'fail');
  const warned = suite.filter((r) => r.outcome === 'warn');
  const metadata = { evaluated: suite.length, failed: blocking.length, warned: warned.length };
  return [
    {
      name: QUALITY_BLOCKING_CHECK,
      blocking: true,
      passed: blocking.length === 0,
      metadata,
      message: blocking.length ? describe(blocking) : `${suite.length} expectations, none blocking failed`,
    },
    {
      name: QUALITY_WARNING_CHECK,
      blocking: false,
      passed: warned.length === 0,
      metadata,
      message: warned.length ? describe(warned) : 'no warnings',
    },
  ];
}
