// The fast SQL checks of the column types (string functions instead of regexes) accept exactly what the contract's
// zod schemas accept: edge cases and a deterministic fuzz, evaluated by PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repaired } from '../../activities/staging/staging-sql';
import { type ColumnKind, type ColumnSpec, KINDS, fieldSchema } from '../../schema/contracts/column-types';
import { repairValue } from '../../schema/contracts/repairs';
import { createTestEnv, type TestEnv } from '../support/env';

let env: TestEnv;

beforeAll(async () => {
  env = await createTestEnv('contractsql');
});

afterAll(async () => {
  await env?.close();
});

const EDGES: Partial<Record<ColumnKind, string[]>> = {
  id: [
    'e481f51cbdc54678b7cc49136f2d6af7',
    'E481F51CBDC54678B7CC49136F2D6AF7',
    'e481f51cbdc54678b7cc49136f2d6af',
    'e481f51cbdc54678b7cc49136f2d6af77',
    'g481f51cbdc54678b7cc49136f2d6af7',
    ' e481f51cbdc54678b7cc49136f2d6af',
    'e481f51cbdc54678b7cc49136f2d6af\n',
    '٣481f51cbdc54678b7cc49136f2d6af7',
  ],
  code: ['delivered', 'cama_mesa_banho', 'a', '_', 'Delivered', 'in transit', 'ção', 'x-y', 'abc\n', '0'],
  zip: ['01310', '1310', '013100', '0131a', ' 1310', '０1310', '99999', '00000'],
  state: ['SP', 'sp', 'S', 'SPX', 'Ş P', 'S1', 'ZZ', 'ÉS'],
  timestamp: [
    '2017-10-02 10:56:33',
    '2016-02-29 00:00:00',
    '2017-02-29 00:00:00',
    '2000-02-29 12:00:00',
    '1900-02-29 12:00:00',
    '2017-04-31 00:00:00',
    '2017-04-30 23:59:59',
    '2017-13-01 00:00:00',
    '2017-00-10 00:00:00',
    '2017-01-00 00:00:00',
    '2017-01-32 00:00:00',
    '2017-01-01 24:00:00',
    '2017-01-01 23:60:00',
    '2017-01-01 23:59:60',
    '2017-1-01 00:00:00',
    '2017-01-01T00:00:00',
    '2017-01-01 00:00:00.5',
    '2017-01-01 00:00',
    ' 2017-01-01 00:00:00',
    '2017-01-01 00:00:00\n',
    '0000-01-01 00:00:00',
    '9999-12-31 23:59:59',
  ],
};

/** A deterministic stream of strings near each kind's shape (mulberry32). */
function fuzz(kind: ColumnKind, n: number): string[] {
  let seed = 0x9e3779b9 ^ kind.length;
  const rand = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const base = EDGES[kind] ?? [];
  const alphabet = '0123456789abcdefgxyzABCSPZ_- :\n.é';
  return Array.from({ length: n }, () => {
    const chars = [...(base[Math.floor(rand() * base.length)] as string)];
    for (let k = Math.floor(rand() * 3); k >= 0; k--) {
      const at = Math.floor(rand() * (chars.length + 1));
      const c = alphabet[Math.floor(rand() * alphabet.length)] as string;
      const op = rand();
      if (op < 0.5) chars[at] = c;
      else if (op < 0.75) chars.splice(at, 0, c);
      else chars.splice(at, 1);
    }
    return chars.join('');
  }).filter((v) => v !== '');
}

describe('fast SQL checks of the column types', () => {
  for (const kind of Object.keys(KINDS) as ColumnKind[]) {
    const spec = KINDS[kind];
    if (!spec.sql) continue;
    it(`when ${kind} values are checked, then the SQL check agrees with the contract's zod schema on every value`, async () => {
      const values = [...(EDGES[kind] ?? []), ...fuzz(kind, 3000)];
      const r = await env.pool.query(`SELECT v, (${spec.sql?.('v')}) AS ok FROM unnest($1::text[]) AS v`, [values]);
      const zod = fieldSchema({ name: 'c', kind, required: true });
      const disagree = r.rows.filter((row) => row.ok !== zod.safeParse(row.v).success).map((row) => JSON.stringify(row.v));
      expect(disagree).toEqual([]);
      const accepted = r.rows.filter((row) => row.ok).length;
      expect(accepted).toBeGreaterThan(0);
      expect(accepted).toBeLessThan(values.length);
    });
  }
});

describe('repairs before the contract', () => {
  const REPAIRABLE: [ColumnSpec, string[]][] = [
    [
      { name: 'customer_zip_code_prefix', kind: 'zip', required: true },
      ['1310', '01310', '7', ' 4534 ', '12345', '123456', '1310a', '0', '\t99', '１310'],
    ],
    [
      { name: 'product_weight_g', kind: 'integer', required: false },
      ['44.0', '44.00', '44', '44.5', '-3.0', '44.', '.0', ' 7.0', '1234567890.0', '4e1'],
    ],
    [
      { name: 'customer_city', kind: 'text', required: true },
      ['sao paulo', ' sao paulo ', 'sao\npaulo', 'rio\r\n', '\tcuritiba', 'são  paulo', 'x\u007fy'],
    ],
    [{ name: 'price', kind: 'money', required: true }, ['199.0', ' 199.00', '199.9 ', '-1.0']],
  ];
  for (const [col, edges] of REPAIRABLE) {
    it(`when ${col.kind} values (${col.name}) are repaired, then the SQL repair gives the same value as the contract's JS repair`, async () => {
      const values = [...edges, ...(EDGES[col.kind] ? fuzz(col.kind, 1000) : []).map((v) => (v.length % 3 === 0 ? ` ${v}` : v))];
      const r = await env.pool.query(`SELECT v, ${repaired(col, 'v').expr} AS fixed FROM unnest($1::text[]) AS v`, [values]);
      const disagree = r.rows.filter((row) => row.fixed !== repairValue(col, row.v).value).map((row) => JSON.stringify(row.v));
      expect(disagree).toEqual([]);
      expect(r.rows.filter((row) => row.fixed !== row.v).length).toBeGreaterThan(0);
    });
  }
});
