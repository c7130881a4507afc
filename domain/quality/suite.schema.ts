// The zod schema of a suite (one asset, its expectations) and parseSuite, whose errors name the suite and the expectation.
import { z } from 'zod';
import { err, ok, type Result } from '../shared/result.type';
import { PAIR_OPERATORS, type Expectation } from './expectation.types';
import { QUALITY_DIMENSIONS, SEVERITIES } from './quality-dimension.type';
import { QUALITY_RULES, type QualityError } from './quality.errors';

const name = z.string().trim().min(1, 'must not be empty');
const scalar = z.union([z.string(), z.number(), z.boolean()]);
const bound = z.union([z.number().finite(), z.string().min(1)]);
const columnRef = z.strictObject({ asset: name, column: name });
const tolerance = z.strictObject({
  absolute: z.number().finite().nonnegative().optional(),
  relative: z.number().finite().nonnegative().optional(),
});

const base = {
  id: name,
  asset: name,
  dimension: z.enum(QUALITY_DIMENSIONS),
  severity: z.enum(SEVERITIES),
  weight: z.number().finite().positive('weight must be > 0'),
  description: z.string().optional(),
};

const compiles = (pattern: string): boolean => {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
};

const ordered = (b: { min?: number | string | undefined; max?: number | string | undefined }): boolean =>
  b.min === undefined || b.max === undefined || typeof b.min !== typeof b.max || b.min <= b.max;
const someBound = (b: { min?: unknown; max?: unknown }): boolean => b.min !== undefined || b.max !== undefined;

export const expectationSchema = z.discriminatedUnion('kind', [
  z.strictObject({ ...base, kind: z.literal('not_null'), column: name }),
  z
    .strictObject({ ...base, kind: z.literal('unique'), columns: z.array(name).min(1, 'needs at least one column') })
    .refine((e) => new Set(e.columns).size === e.columns.length, { message: 'columns repeat', path: ['columns'] }),
  z.strictObject({ ...base, kind: z.literal('in_set'), column: name, values: z.array(scalar).min(1, 'needs at least one value') }),
  z
    .strictObject({ ...base, kind: z.literal('between'), column: name, min: bound.optional(), max: bound.optional() })
    .refine(someBound, { message: 'needs min or max' })
    .refine(ordered, { message: 'min is greater than max' }),
  z.strictObject({
    ...base,
    kind: z.literal('matches'),
    column: name,
    pattern: z.string().min(1).refine(compiles, 'is not a valid regular expression'),
  }),
  z
    .strictObject({
      ...base,
      kind: z.literal('row_count_between'),
      min: z.number().int().nonnegative().optional(),
      max: z.number().int().nonnegative().optional(),
    })
    .refine(someBound, { message: 'needs min or max' })
    .refine(ordered, { message: 'min is greater than max' }),
  z
    .strictObject({ ...base, kind: z.literal('column_pair'), left: name, operator: z.enum(PAIR_OPERATORS), right: name })
    .refine((e) => e.left !== e.right, { message: 'compares a column with itself', path: ['right'] }),
  z.strictObject({ ...base, kind: z.literal('referential'), column: name, references: columnRef }),
  z.strictObject({
    ...base,
    kind: z.literal('sum_equals'),
    column: name,
    against: columnRef.extend({ where: z.strictObject({ column: name, equals: scalar }).optional() }),
    tolerance,
  }),
  z.strictObject({ ...base, kind: z.literal('freshness'), column: name, maxAgeDays: z.number().int().nonnegative() }),
  z.strictObject({
    ...base,
    kind: z.literal('drift'),
    column: name,
    statistic: z.discriminatedUnion('type', [
      z.strictObject({ type: z.literal('share'), category: scalar }),
      z.strictObject({ type: z.literal('mean') }),
    ]),
    tolerance: tolerance.refine(
      (t) => t.absolute !== undefined || t.relative !== undefined,
      'drift needs an absolute or relative tolerance',
    ),
  }),
]);

export const suiteSchema = z
  .strictObject({
    name: name.optional(),
    asset: name,
    expectations: z.array(expectationSchema).min(1, 'a suite needs at least one expectation'),
  })
  .superRefine((suite, ctx) => {
    const seen = new Set<string>();
    suite.expectations.forEach((e, i) => {
      if (seen.has(e.id))
        ctx.addIssue({
          code: 'custom',
          path: ['expectations', i, 'id'],
          message: `id '${e.id}' is used twice in the suite: give one an explicit id`,
        });
      seen.add(e.id);
      if (e.asset !== suite.asset)
        ctx.addIssue({
          code: 'custom',
          path: ['expectations', i, 'asset'],
          message: `checks asset '${e.asset}', not the suite's asset '${suite.asset}'`,
        });
    });
  });

export interface Suite {
  /** Defaults to the asset. */
  readonly name: string;
  readonly asset: string;
  readonly expectations: readonly Expectation[];
}

const field = (value: unknown, key: string): unknown =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;

/** Where an issue sits, in words: "expectation 'not_null:x' (#2) weight" or "asset". */
function locate(input: unknown, path: ReadonlyArray<PropertyKey>): string {
  const [head, index, ...rest] = path;
  if (head === 'expectations' && typeof index === 'number') {
    const id = field(field(input, 'expectations') instanceof Array ? (field(input, 'expectations') as unknown[])[index] : undefined, 'id');
    const label = typeof id === 'string' && id !== '' ? `expectation '${id}' (#${index + 1})` : `expectation #${index + 1}`;
    return [label, ...rest.map(String)].join(' ');
  }
  return path.length === 0 ? 'suite' : path.map(String).join('.');
}

/** Validates a suite definition; every problem is listed, each naming the suite and the expectation. */
export function parseSuite(input: unknown): Result<Suite, QualityError> {
  const parsed = suiteSchema.safeParse(input);
  if (parsed.success) {
    const { name: suiteName, asset, expectations } = parsed.data;
    return ok({ name: suiteName ?? asset, asset, expectations: expectations as Expectation[] });
  }
  const label = [field(input, 'name'), field(input, 'asset')].find((v) => typeof v === 'string' && v !== '') ?? '(unnamed)';
  const problems = parsed.error.issues.map((issue) => `${locate(input, issue.path)}: ${issue.message}`);
  return err({ code: QUALITY_RULES.INVALID_SUITE, message: `suite '${String(label)}': ${problems.join('; ')}` });
}
