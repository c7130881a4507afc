// Every expectation suite bound to the asset that materializes its relation, and the start-up check of suites against columns.
import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import { CUSTOMER_SUITES } from '../../domain/customer/customer.suite';
import { FULFILLMENT_SUITES } from '../../domain/fulfillment/fulfillment.suite';
import { MARKETPLACE_SUITES } from '../../domain/marketplace/marketplace.suite';
import { MART_SUITES } from '../../domain/quality/marts.suite';
import { SALES_SUITES } from '../../domain/sales/sales.suite';
import { parseSuite, referencedColumns, type Suite } from '../../domain/quality';
import * as domainTables from '../../schema/domain';

/** A suite and the asset whose materialization it checks (several relations of one asset: several suites). */
export interface SuiteBinding {
  suite: Suite;
  assetKey: string;
  /** Where the suite is declared, for error messages. */
  declaredIn: string;
}

/** Domain relation → the asset that writes it. dbt models are 'dbt/<model>'. */
const WRITERS: Readonly<Record<string, string>> = {
  'sales.orders': 'domain/sales/orders',
  'sales.order_items': 'domain/sales/orders',
  'sales.order_payments': 'domain/sales/orders',
  'customer.customers': 'domain/customer/customers',
  'customer.reviews': 'domain/customer/customers',
  'customer.profiles': 'domain/customer/profiles',
  'fulfillment.shipments': 'domain/fulfillment/shipments',
  'marketplace.products': 'domain/marketplace/catalog',
  'marketplace.sellers': 'domain/marketplace/catalog',
  'marketplace.categories': 'domain/marketplace/catalog',
};

/**
 * The suites live beside their context's rules (domain/<context>/<context>.suite.ts: pure declarations in the
 * context's own vocabulary, e.g. ORDER_STATUSES and SEGMENTS) and, for the dbt marts, in domain/quality/marts.suite.ts.
 */
export function platformSuites(): SuiteBinding[] {
  const bind = (suites: readonly Suite[], declaredIn: string) =>
    suites.map((suite) => ({ suite, declaredIn, assetKey: WRITERS[suite.asset] ?? `dbt/${suite.asset}` }));
  return [
    ...bind(SALES_SUITES, 'domain/sales/sales.suite.ts'),
    ...bind(CUSTOMER_SUITES, 'domain/customer/customer.suite.ts'),
    ...bind(FULFILLMENT_SUITES, 'domain/fulfillment/fulfillment.suite.ts'),
    ...bind(MARKETPLACE_SUITES, 'domain/marketplace/marketplace.suite.ts'),
    ...bind(MART_SUITES, 'domain/quality/marts.suite.ts'),
  ];
}

/** The columns of every domain table, by `schema.table`, from the drizzle definitions. */
export function domainColumns(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const value of Object.values(domainTables)) {
    if (typeof value !== 'object' || value === null || !(Symbol.for('drizzle:IsDrizzleTable') in value)) continue;
    const config = getTableConfig(value as PgTable);
    out.set(
      `${config.schema ?? 'public'}.${config.name}`,
      config.columns.map((c) => c.name),
    );
  }
  return out;
}

/** The documented columns of every dbt model in the manifest, by model name. */
export function manifestColumns(manifest: { nodes: Record<string, unknown> }): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const node of Object.values(manifest.nodes) as Array<{ resource_type: string; name: string; columns?: Record<string, unknown> }>) {
    if (node.resource_type === 'model') out.set(node.name, Object.keys(node.columns ?? {}));
  }
  return out;
}

export class SuiteValidationError extends Error {
  readonly code = 'QUALITY.INVALID_SUITE';
}

/**
 * Parses every suite with the zod schema and matches each column it names to the relation's columns (domain tables
 * from schema/domain.ts, dbt models from the manifest). Throws one error listing every problem, each naming the suite,
 * the expectation and the column, and where the suite is declared.
 */
export function validateSuites(bindings: readonly SuiteBinding[], columns: ReadonlyMap<string, readonly string[]>): void {
  const problems: string[] = [];
  const names = new Set<string>();
  for (const b of bindings) {
    if (names.has(b.suite.name)) problems.push(`suite '${b.suite.name}' is declared twice`);
    names.add(b.suite.name);
    const parsed = parseSuite(b.suite);
    if (!parsed.ok) {
      problems.push(`${parsed.error.message} (${b.declaredIn})`);
      continue;
    }
    for (const e of b.suite.expectations) {
      for (const ref of referencedColumns(e)) {
        const known = columns.get(ref.asset);
        if (known === undefined)
          problems.push(
            `suite '${b.suite.name}' (${b.declaredIn}): expectation '${e.id}' checks '${ref.asset}', which is neither a domain table nor a dbt model`,
          );
        else if (!known.includes(ref.column)) {
          problems.push(
            `suite '${b.suite.name}' (${b.declaredIn}): expectation '${e.id}' names column '${ref.column}', which ${ref.asset} does not have (its columns: ${known.join(', ')})`,
          );
        }
      }
    }
  }
  if (problems.length)
    throw new SuiteValidationError(
      `invalid quality suites: ${problems.join('; ')}. Fix the suite declarations (or the model's .yml columns) and start the worker again`,
    );
}

/** The start-up check of the worker: the platform's suites (or `bindings`) against the domain tables and the manifest's models. */
export function assertSuitesValid(
  manifest: { nodes: Record<string, unknown> },
  bindings: readonly SuiteBinding[] = platformSuites(),
): void {
  validateSuites(bindings, new Map([...domainColumns(), ...manifestColumns(manifest)]));
}
