// The sentence a failed relationships test gets: keys with their file and record, personal identifiers not shown.
import { describe, expect, it } from 'vitest';
import { describeKeys } from './relationship-failures';

describe('describeKeys', () => {
  it('when keys are order ids, then each is shown with its file and record, and the failures beyond them are counted', () => {
    const s = describeKeys(
      'order_id',
      [
        { key: 'o1', sourceFile: 'olist_order_reviews_dataset.csv', record: 17 },
        { key: 'o2', sourceFile: null, record: null },
      ],
      5,
    );
    expect(s).toBe(
      "order_id without a match: 'o1' (olist_order_reviews_dataset.csv record 17), 'o2' (no source record found upstream), and 3 more",
    );
  });

  it('when the column identifies a person, then its values are not shown, only where they come from', () => {
    const s = describeKeys('customer_unique_id', [{ key: 'secret-person', sourceFile: 'olist_customers_dataset.csv', record: 3 }], 1);
    expect(s).not.toContain('secret-person');
    expect(s).toContain('(olist_customers_dataset.csv record 3)');
  });
});
