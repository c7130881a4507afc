// A suite naming a column its asset lacks stops the worker at start, with a message naming the suite and the column.
import { describe, expect, it } from 'vitest';
import { platformSuites, type SuiteBinding } from '../../activities/quality/suites';
import { expect as e } from '../../domain/quality';
import { EMBEDDED, embeddedDatabaseUrl } from '../../infra/config';
import { createWorker } from '../../worker';

const opts = {
  databaseUrl: embeddedDatabaseUrl(),
  temporalAddress: `127.0.0.1:${EMBEDDED.temporalPort}`,
  namespace: 'default',
  taskQueue: 'quality-startup-never-used',
};

describe('quality suites at worker start', () => {
  it('when a mart suite names a column the dbt model lacks, then the worker does not start and says which suite and column', async () => {
    const broken: SuiteBinding = {
      assetKey: 'dbt/dim_customer',
      declaredIn: 'test',
      suite: {
        name: 'dim_customer_extra',
        asset: 'dim_customer',
        expectations: [e.notNull('dim_customer', 'customer_segment', { id: 'extra.not_null' })],
      },
    };
    await expect(createWorker({ ...opts, suites: [...platformSuites(), broken] })).rejects.toThrow(
      /suite 'dim_customer_extra' \(test\): expectation 'extra.not_null' names column 'customer_segment', which dim_customer does not have/,
    );
  });

  it('when a domain suite names a column the table lacks, then the start fails naming both', async () => {
    const broken: SuiteBinding = {
      assetKey: 'domain/sales/orders',
      declaredIn: 'test',
      suite: {
        name: 'orders_extra',
        asset: 'sales.orders',
        expectations: [e.between('sales.orders', 'order_total', { min: 0 }, { id: 'extra.between' })],
      },
    };
    await expect(createWorker({ ...opts, suites: [broken] })).rejects.toThrow(
      /suite 'orders_extra' \(test\): expectation 'extra.between' names column 'order_total', which sales.orders does not have/,
    );
  });
});
