// Smoke test of the domain's public API: one entry point and a RULES_VERSION per context, rule codes namespaced and unique.
import { describe, it, expect } from 'vitest';
import * as customer from './customer';
import * as fulfillment from './fulfillment';
import * as marketplace from './marketplace';
import * as quality from './quality';
import * as sales from './sales';
import * as shared from './shared';

describe('domain public API', () => {
  it('when each context index is loaded, then it exposes its entry point and a RULES_VERSION', () => {
    expect(typeof sales.validateSalesPartition).toBe('function');
    expect(typeof customer.validateCustomerPartition).toBe('function');
    expect(typeof fulfillment.validateFulfillmentPartition).toBe('function');
    expect(typeof marketplace.validateMarketplace).toBe('function');
    expect(typeof quality.parseSuite).toBe('function');
    const versions = [
      sales.RULES_VERSION,
      customer.RULES_VERSION,
      fulfillment.RULES_VERSION,
      marketplace.RULES_VERSION,
      quality.RULES_VERSION,
    ];
    expect(versions.every((v) => /^[a-z]+-rules@\d+$/.test(v))).toBe(true);
    expect(new Set(versions).size).toBe(5);
  });

  it('when rule codes of all contexts are listed, then each is namespaced by its context and none repeats', () => {
    const byContext = {
      SALES: sales.SALES_RULES,
      CUSTOMER: customer.CUSTOMER_RULES,
      FULFILLMENT: fulfillment.FULFILLMENT_RULES,
      MARKETPLACE: marketplace.MARKETPLACE_RULES,
      QUALITY: quality.QUALITY_RULES,
    };
    const all = Object.entries(byContext).flatMap(([ns, rules]) =>
      Object.entries(rules).map(([name, code]) => {
        expect(code).toBe(`${ns}.${name}`);
        return code;
      }),
    );
    expect(new Set(all).size).toBe(all.length);
  });

  it('when the shared kernel is loaded, then Money, time, events and the dispatcher are exported', () => {
    expect(shared.Money.toDecimalString(shared.Money.fromCentavos(27990))).toBe('279.90');
    expect(shared.parseNaiveTimestamp('2018-01-01 00:00:00').ok).toBe(true);
    expect(typeof shared.createDomainEvent).toBe('function');
    expect(typeof shared.createEventDispatcher).toBe('function');
    expect(shared.BRAZILIAN_STATES).toHaveLength(27);
  });

  it('when the quality context is loaded, then a suite built with its builders parses, is judged and scored against the SLA', () => {
    const suite = quality.parseSuite({
      asset: 'dim_customer',
      expectations: [quality.expect.notNull('dim_customer', 'customer_unique_id', { severity: 'block' })],
    });
    if (!suite.ok) throw new Error(suite.error.message);
    const [notNull] = suite.value.expectations;
    const result = quality.judge(notNull!, { evaluated: 10, failed: 0 });
    expect(quality.decideSla([result]).decision).toBe('pass');
    expect(quality.QUALITY_DIMENSIONS).toHaveLength(6);
  });
});
