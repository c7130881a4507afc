// The zod contracts against the real files: every head-1000 and sample record parses; bad values are named.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTRACTS, contract, recordSchema } from './olist';
import { HEAD_1000_DIR, SAMPLE_DIR, parseRecords } from '../../test/support/fixtures';

describe('source contracts', () => {
  for (const dir of [HEAD_1000_DIR, SAMPLE_DIR]) {
    for (const c of CONTRACTS.filter((x) => fs.existsSync(path.join(dir, x.file)))) {
      it(`when ${path.basename(dir)}/${c.file} is parsed, then every record satisfies the contract`, () => {
        const schema = recordSchema(c);
        const records = parseRecords(path.join(dir, c.file));
        expect(records.length).toBeGreaterThan(0);
        for (const r of records) {
          const obj = Object.fromEntries(c.columns.map((col, i) => [col.name, r[i]]));
          const parsed = schema.safeParse(obj);
          expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
        }
      });
    }
  }

  it('when a value breaks its type, then the issue names the column and the expectation', () => {
    const schema = recordSchema(contract('order_items'));
    const r = schema.safeParse({
      order_id: '00010242fe8c5a6d1ba2dd792cb16214',
      order_item_id: '1',
      product_id: '4244733e06e7ecb4970a6e2683c13e61',
      seller_id: '48436dade18ac8b2bce089ec2a041202',
      shipping_limit_date: '2017-02-30 09:45:35',
      price: '5O.90',
      freight_value: '',
    });
    expect(r.success).toBe(false);
    const messages = r.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];
    expect(messages.join('\n')).toContain('price: expected an amount with at most 2 decimals');
    expect(messages.join('\n')).toContain('shipping_limit_date: not a calendar date');
    expect(messages.some((m) => m.startsWith('freight_value'))).toBe(true);
  });

  it('when a city is longer than its limit, then the contract rejects it (no truncation)', () => {
    const schema = recordSchema(contract('customers'));
    const row = {
      customer_id: 'f4a9f3a779e9783f7c992f5723bbe3d3',
      customer_unique_id: '09d4fed6320030973607491be508c075',
      customer_zip_code_prefix: '12420',
      customer_state: 'SP',
    };
    expect(schema.safeParse({ ...row, customer_city: 'x'.repeat(100) }).success).toBe(true);
    const r = schema.safeParse({ ...row, customer_city: 'x'.repeat(101) });
    expect(r.error?.issues.map((i) => i.message)).toEqual(['customer_city: longer than 100 characters']);
  });

  it('when an unknown source is asked for, then the error lists the known ones', () => {
    expect(() => contract('refunds')).toThrow(/expected one of orders, order_items/);
  });
});
