// The platform's quality suites are valid against the drizzle tables (pure check; the dbt models are checked at worker start).
import { describe, expect, it } from 'vitest';
import { domainColumns, platformSuites, validateSuites } from './suites';
import { expect as e } from '../../domain/quality';

describe('platform suites', () => {
  it('when the domain suites are validated against the drizzle tables, then every column they name exists', () => {
    const domainOnly = platformSuites().filter((b) => !b.assetKey.startsWith('dbt/'));
    expect(domainOnly.length).toBeGreaterThan(5);
    expect(() => validateSuites(domainOnly, domainColumns())).not.toThrow();
  });

  it('when the dim_customer suite is read, then customer_unique_id is not null and unique (blocking) and the segment is in the six segments', () => {
    const dim = platformSuites().find((b) => b.assetKey === 'dbt/dim_customer')?.suite;
    const kinds = dim?.expectations.map(
      (x) => `${x.kind}:${'column' in x ? x.column : 'columns' in x ? x.columns.join(',') : ''}:${x.severity}`,
    );
    expect(kinds).toEqual(
      expect.arrayContaining(['not_null:customer_unique_id:block', 'unique:customer_unique_id:block', 'in_set:segment:warn']),
    );
    const segments = dim?.expectations.find((x) => x.kind === 'in_set');
    expect(segments && 'values' in segments ? segments.values : []).toEqual(
      expect.arrayContaining(['NEW', 'ONE_TIME', 'REGULAR', 'LOYAL', 'VIP', 'CHURNED']),
    );
  });

  it('when a suite is malformed or names an unknown relation, then the error lists each problem with the suite', () => {
    const bad = {
      assetKey: 'domain/sales/orders',
      declaredIn: 'x.suite.ts',
      suite: { name: 's', asset: 'sales.nope', expectations: [e.notNull('sales.nope', 'a', { id: 'i' })] },
    };
    expect(() => validateSuites([bad], domainColumns())).toThrow(
      /suite 's' \(x.suite.ts\): expectation 'i' checks 'sales.nope', which is neither a domain table nor a dbt model/,
    );
    const twice = {
      ...bad,
      suite: { name: 's', asset: 'sales.orders', expectations: [e.notNull('sales.orders', 'order_id', { weight: -1 })] },
    };
    expect(() => validateSuites([twice], domainColumns())).toThrow(/suite 's'.*weight/);
  });
});
