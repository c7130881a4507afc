// Tests for the expectation builders: default ids, dimensions, severity and weight, overrides, referenced columns.
import { describe, it, expect } from 'vitest';
import { expect as exp } from './expectation.builders';
import {
  DEFAULT_DIMENSION,
  EXPECTATION_KINDS,
  ROW_LEVEL_KINDS,
  isRowLevel,
  referencedColumns,
  type Expectation,
} from './expectation.types';

const all: Expectation[] = [
  exp.notNull('dim_customer', 'customer_unique_id'),
  exp.unique('fact_items', ['order_id', 'order_item_id']),
  exp.inSet('dim_customer', 'customer_segment', ['NEW', 'VIP']),
  exp.between('fact_items', 'price', { min: 0 }),
  exp.matches('dim_customer', 'zip', '^[0-9]{5}$'),
  exp.rowCountBetween('fact_orders', { min: 1, max: 10 }),
  exp.columnPair('fact_orders', 'purchased_at', '<=', 'approved_at'),
  exp.referential('fact_orders', 'customer_id', { asset: 'dim_customer', column: 'customer_id' }),
  exp.sumEquals('fact_orders', 'gmv', { asset: 'sales/order_items', column: 'price' }, { absolute: 0.05 }),
  exp.freshness('fact_orders', 'purchased_at', 3),
  exp.shareDrift('mart_exec', 'status', 'canceled', { absolute: 0.02 }),
  exp.meanDrift('mart_exec', 'aov', { relative: 0.1 }),
];

describe('expectation builders', () => {
  it('when a builder is called with no options, then it gets a readable id, the kind default dimension, warn and weight 1', () => {
    expect(all.map((e) => e.id)).toEqual([
      'not_null:customer_unique_id',
      'unique:order_id+order_item_id',
      'in_set:customer_segment',
      'between:price:0..',
      'matches:zip',
      'row_count_between:1..10',
      'column_pair:purchased_at<=approved_at',
      'referential:customer_id->dim_customer.customer_id',
      'sum_equals:gmv=sales/order_items.price',
      'freshness:purchased_at',
      'drift:share(status=canceled)',
      'drift:mean(aov)',
    ]);
    for (const e of all) {
      expect(e.dimension).toBe(DEFAULT_DIMENSION[e.kind]);
      expect(e).toMatchObject({ severity: 'warn', weight: 1 });
      expect('description' in e).toBe(false);
    }
    expect(new Set(all.map((e) => e.kind))).toEqual(new Set(EXPECTATION_KINDS));
  });

  it('when options are given, then they override the defaults', () => {
    const e = exp.notNull('dim_customer', 'customer_id', {
      id: 'pk',
      dimension: 'validity',
      severity: 'block',
      weight: 3,
      description: 'the key',
    });
    expect(e).toEqual({
      id: 'pk',
      asset: 'dim_customer',
      dimension: 'validity',
      severity: 'block',
      weight: 3,
      description: 'the key',
      kind: 'not_null',
      column: 'customer_id',
    });
    expect(exp.unique('dim_customer', 'customer_id').columns).toEqual(['customer_id']);
  });

  it('when the columns an expectation reads are listed, then referenced assets are included', () => {
    const [notNull, unique, , , , rows, pair, ref, sum] = all;
    expect(referencedColumns(notNull!)).toEqual([{ asset: 'dim_customer', column: 'customer_unique_id' }]);
    expect(referencedColumns(unique!)).toHaveLength(2);
    expect(referencedColumns(rows!)).toEqual([]);
    expect(referencedColumns(pair!).map((c) => c.column)).toEqual(['purchased_at', 'approved_at']);
    expect(referencedColumns(ref!)).toEqual([
      { asset: 'fact_orders', column: 'customer_id' },
      { asset: 'dim_customer', column: 'customer_id' },
    ]);
    expect(referencedColumns(sum!)).toEqual([
      { asset: 'fact_orders', column: 'gmv' },
      { asset: 'sales/order_items', column: 'price' },
    ]);
  });

  it('when a kind is asked whether it is row-level, then only the seven row-counting kinds are', () => {
    expect(EXPECTATION_KINDS.filter(isRowLevel)).toEqual([...ROW_LEVEL_KINDS]);
    expect(isRowLevel('drift')).toBe(false);
  });
});
