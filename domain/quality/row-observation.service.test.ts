// Tests for observeRows: the in-memory semantics of each kind (nulls, duplicates, bounds, pairs, references, sums, freshness, drift).
import { describe, it, expect } from 'vitest';
import { expect as exp } from './expectation.builders';
import { judge } from './expectation.judge';
import { observeRows, type Row } from './row-observation.service';

const A = 'dim_customer';
const rows: Row[] = [
  {
    id: 'a',
    seg: 'VIP',
    zip: '01046',
    spent: 10,
    first: '2017-01-01 00:00:00',
    last: '2017-02-01 00:00:00',
    _source_sha256: 'f1',
    _source_row: 2,
  },
  {
    id: 'b',
    seg: 'NEW',
    zip: '1046',
    spent: 30,
    first: '2017-03-01 00:00:00',
    last: '2017-02-01 00:00:00',
    _source_sha256: 'f1',
    _source_row: 3,
  },
  { id: 'b', seg: 'GOLD', zip: null, spent: null, first: '2017-01-01 00:00:00', last: null },
  { id: null, seg: null, zip: '99999', spent: '20', first: null, last: '2018-08-30 10:00:00' },
];

describe('observeRows', () => {
  it('when values are missing, then not_null counts them over all rows and the other kinds skip them', () => {
    expect(observeRows(exp.notNull(A, 'id'), rows)).toEqual({ evaluated: 4, failed: 1, examples: [{ values: { id: null } }] });
    expect(observeRows(exp.inSet(A, 'seg', ['VIP', 'NEW']), rows)).toMatchObject({
      evaluated: 3,
      failed: 1,
      examples: [{ values: { seg: 'GOLD' } }],
    });
  });

  it('when a key repeats, then every row carrying it fails unique; rows with a missing key part are not evaluated', () => {
    const o = observeRows(exp.unique(A, 'id'), rows);
    expect(o).toMatchObject({ evaluated: 3, failed: 2 });
    expect(o.examples?.[0]).toEqual({ values: { id: 'b' }, sourceSha256: 'f1', sourceRow: 3 });
    expect(observeRows(exp.unique(A, ['id', 'seg']), rows)).toMatchObject({ evaluated: 3, failed: 0 });
  });

  it('when bounds are numbers, then values are read as numbers; when they are text, then values compare as text', () => {
    expect(observeRows(exp.between(A, 'spent', { min: 15, max: 30 }), rows)).toMatchObject({ evaluated: 3, failed: 1 });
    expect(observeRows(exp.between(A, 'zip', { min: 0 }), rows)).toMatchObject({ evaluated: 3, failed: 0 });
    expect(observeRows(exp.between(A, 'seg', { min: 0 }), rows)).toMatchObject({ evaluated: 3, failed: 3 });
    expect(observeRows(exp.between(A, 'first', { min: '2017-01-01', max: '2017-02-01' }), rows)).toMatchObject({ evaluated: 3, failed: 1 });
  });

  it('when a pattern is matched, then present values are tested as text', () => {
    expect(observeRows(exp.matches(A, 'zip', '^[0-9]{5}$'), rows)).toMatchObject({
      evaluated: 3,
      failed: 1,
      examples: [{ values: { zip: '1046' } }],
    });
  });

  it('when two columns are compared, then rows missing either are skipped and each operator holds as declared', () => {
    expect(observeRows(exp.columnPair(A, 'first', '<=', 'last'), rows)).toMatchObject({
      evaluated: 2,
      failed: 1,
      examples: [{ values: { first: '2017-03-01 00:00:00', last: '2017-02-01 00:00:00' } }],
    });
    const nums: Row[] = [
      { a: 1, b: 1 },
      { a: 2, b: 10 },
      { a: 3, b: 2 },
    ];
    expect(observeRows(exp.columnPair(A, 'a', '<=', 'b'), nums)).toMatchObject({ failed: 1 });
    expect(observeRows(exp.columnPair(A, 'a', '<', 'b'), nums)).toMatchObject({ failed: 2 });
    expect(observeRows(exp.columnPair(A, 'a', '=', 'b'), nums)).toMatchObject({ failed: 2 });
  });

  it('when values must exist in another asset, then those absent from its column fail', () => {
    const e = exp.referential(A, 'seg', { asset: 'dim_segment', column: 'code' });
    expect(observeRows(e, rows, { other: [{ code: 'VIP' }, { code: 'NEW' }] })).toMatchObject({ evaluated: 3, failed: 1 });
    expect(() => observeRows(e, rows)).toThrow(/needs the referenced rows/);
  });

  it('when more than 20 rows fail, then only the first 20 become examples while all are counted', () => {
    const many: Row[] = Array.from({ length: 30 }, (_, i) => ({ id: null, n: i }));
    const o = observeRows(exp.notNull(A, 'id'), many);
    expect(o.failed).toBe(30);
    expect(o.examples).toHaveLength(20);
  });

  it('when aggregates are observed, then row count, sums, newest value and drift statistics come out', () => {
    expect(observeRows(exp.rowCountBetween(A, { min: 1 }), rows)).toEqual({ rowCount: 4 });
    const sum = exp.sumEquals(A, 'spent', { asset: 'fact', column: 'total' });
    expect(observeRows(sum, rows, { other: [{ total: 50 }, { total: 10 }, { total: null }] })).toEqual({ observed: 60, expected: 60 });
    expect(() => observeRows(sum, rows)).toThrow(/needs the rows to reconcile with/);
    const fresh = exp.freshness(A, 'last', 3);
    expect(observeRows(fresh, rows, { asOf: '2018-09-01' })).toEqual({ newest: '2018-08-30 10:00:00', asOf: '2018-09-01' });
    expect(observeRows(fresh, [], { asOf: '2018-09-01' })).toEqual({ newest: null, asOf: '2018-09-01' });
    expect(() => observeRows(fresh, rows)).toThrow(/needs the as-of date/);
    expect(observeRows(exp.shareDrift(A, 'seg', 'VIP', { absolute: 0.1 }), rows, { previous: 0.5 })).toEqual({
      observed: 0.25,
      previous: 0.5,
      evaluated: 4,
    });
    expect(observeRows(exp.shareDrift(A, 'seg', 'VIP', { absolute: 0.1 }), [])).toEqual({ observed: null, previous: null, evaluated: 0 });
    expect(observeRows(exp.meanDrift(A, 'spent', { relative: 0.1 }), rows)).toEqual({ observed: 20, previous: null, evaluated: 3 });
    expect(observeRows(exp.meanDrift(A, 'spent', { relative: 0.1 }), [{ spent: null }])).toEqual({
      observed: null,
      previous: null,
      evaluated: 0,
    });
  });

  it('when an in-memory observation is judged, then the result matches the rule (observe → judge round trip)', () => {
    const r = judge(exp.notNull(A, 'id', { severity: 'block' }), observeRows(exp.notNull(A, 'id'), rows));
    expect(r).toMatchObject({ passed: false, evaluated: 4, failed: 1, score: 0.75, severity: 'block' });
    expect(judge(exp.freshness(A, 'last', 1), observeRows(exp.freshness(A, 'last', 1), rows, { asOf: '2018-09-01' })).passed).toBe(false);
  });

  it('when an example value is not a scalar, then it is printed as text', () => {
    const o = observeRows(exp.inSet(A, 'v', ['x']), [{ v: new Set([1]) }]);
    expect(o.examples?.[0]?.values).toEqual({ v: '[object Set]' });
  });
});

describe('observeRows sum_equals with a filter on the other asset', () => {
  it('when the other side has a where, then only its matching rows are summed', () => {
    const e = exp.sumEquals('mart', 'gmv', { asset: 'fact', column: 'value', where: { column: 'canceled', equals: false } });
    const o = observeRows(e, [{ gmv: 10 }], {
      other: [
        { value: 4, canceled: false },
        { value: 6, canceled: false },
        { value: 100, canceled: true },
      ],
    });
    expect(o).toEqual({ observed: 10, expected: 10 });
  });
});
