// Set-based observations of expectations in PostgreSQL: one counting query per expectation (plus one for failing examples).
import type { PoolClient } from 'pg';
import {
  MAX_EXAMPLES,
  type Drift,
  type Expectation,
  type FailingExample,
  type ObservationFor,
  type PairOperator,
  type Scalar,
} from '../../domain/quality';

/** The relation an expectation is evaluated on, and how to reach its partition and provenance. */
export interface Target {
  /** Quoted `schema.name` of the relation checked (a shadow relation for dbt models). */
  relation: string;
  /** When set, only rows with partition_key = this are checked. */
  partitionKey?: string;
  /** The relation keeps `_source_sha256` / `_source_row`: examples name the file and record. */
  provenance: boolean;
  /** The published relation the drift statistic compares with (the previous successful version); none: no previous. */
  previousRelation?: string;
}

export interface ObserveEnv {
  /** Quoted relation of another checked asset (referential, sum_equals): its shadow when built in this run, else published. */
  resolve: (asset: string) => string;
  /** The data's as-of date ('YYYY-MM-DD'), for freshness (asked only when a suite has a freshness expectation). */
  asOf: () => Promise<string>;
}

export const quoteIdent = (s: string): string => `"${s.replace(/"/g, '""')}"`;
const col = (c: string): string => `t.${quoteIdent(c)}`;
/** Any column as numeric (booleans count 1/0), so sums and means work on counts, flags and money alike. */
const numeric = (x: string): string =>
  `(CASE WHEN jsonb_typeof(to_jsonb(${x})) = 'boolean' THEN (${x})::text::boolean::int::numeric ELSE (${x})::text::numeric END)`;
const OPERATORS: Record<PairOperator, string> = { '<=': '<=', '<': '<', '=': '=' };

/** What a row-level kind counts: the rows it applies to and, of those, the failing ones (SQL predicates over alias t). */
interface Predicates {
  applies: string;
  fails: string;
  columns: string[];
  /** A join the counting query needs (an anti-join made explicit: a NOT EXISTS inside FILTER would run once per row). */
  join?: string;
  /** The failing rows' predicate for the examples query, when `fails` reads the join. */
  failsWhere?: string;
}

function predicates(e: Expectation, param: (v: unknown) => string, env: ObserveEnv): Predicates | undefined {
  const present = (c: string) => `${col(c)} IS NOT NULL`;
  switch (e.kind) {
    case 'not_null':
      return { applies: 'true', fails: `${col(e.column)} IS NULL`, columns: [e.column] };
    case 'in_set': {
      const numbers = e.values.every((v) => typeof v === 'number');
      const fails = numbers
        ? `NOT (${numeric(col(e.column))} = ANY(${param(e.values)}::numeric[]))`
        : `NOT (${col(e.column)}::text = ANY(${param(e.values.map(String))}::text[]))`;
      return { applies: present(e.column), fails, columns: [e.column] };
    }
    case 'between': {
      const bound = (b: number | string, op: string) =>
        typeof b === 'number' ? `${numeric(col(e.column))} ${op} ${param(b)}::numeric` : `${col(e.column)}::text ${op} ${param(b)}::text`;
      const outside = [e.min !== undefined ? bound(e.min, '<') : '', e.max !== undefined ? bound(e.max, '>') : '']
        .filter(Boolean)
        .join(' OR ');
      return { applies: present(e.column), fails: `(${outside})`, columns: [e.column] };
    }
    case 'matches':
      return { applies: present(e.column), fails: `NOT (${col(e.column)}::text ~ ${param(e.pattern)})`, columns: [e.column] };
    case 'column_pair':
      return {
        applies: `${present(e.left)} AND ${present(e.right)}`,
        fails: `NOT (${col(e.left)} ${OPERATORS[e.operator]} ${col(e.right)})`,
        columns: [e.left, e.right],
      };
    case 'referential': {
      const ref = `${env.resolve(e.references.asset)}`;
      const key = quoteIdent(e.references.column);
      return {
        applies: present(e.column),
        join: `LEFT JOIN (SELECT DISTINCT r.${key} AS k FROM ${ref} r WHERE r.${key} IS NOT NULL) __ref ON __ref.k = ${col(e.column)}`,
        fails: '__ref.k IS NULL',
        failsWhere: `NOT EXISTS (SELECT 1 FROM ${ref} r WHERE r.${key} = ${col(e.column)})`,
        columns: [e.column],
      };
    }
    case 'unique': {
      const list = e.columns.map(col).join(', ');
      return {
        applies: e.columns.map(present).join(' AND '),
        fails: `(${list}) IN (SELECT ${list} FROM __rel t WHERE __filter GROUP BY ${list} HAVING count(*) > 1)`,
        columns: [...e.columns],
      };
    }
    default:
      return undefined;
  }
}

type Params = { values: unknown[]; param: (v: unknown) => string };
function params(first: unknown[]): Params {
  const values = [...first];
  return { values, param: (v) => `$${values.push(v)}` };
}

/** The examples of failing rows: checked values, and the source file and record when the relation keeps provenance. */
async function examples(
  client: PoolClient,
  target: Target,
  where: string,
  columns: string[],
  values: unknown[],
): Promise<FailingExample[]> {
  const provenance = target.provenance
    ? `, 'sourceFile', (SELECT ra.source_file FROM dw_meta.row_accounting ra WHERE ra.source_sha256 = t._source_sha256 AND ra.source_file IS NOT NULL LIMIT 1), 'sourceRow', t._source_row`
    : '';
  const rows = (
    await client.query(
      `SELECT json_build_object('values', json_build_object(${columns.map((c) => `'${c.replace(/'/g, "''")}', ${col(c)}`).join(', ')})${provenance}) AS x
       FROM ${target.relation} t WHERE ${where} ${target.provenance ? 'ORDER BY t._source_row' : ''} LIMIT ${MAX_EXAMPLES}`,
      values,
    )
  ).rows;
  return rows.map((r) => {
    const x = r.x as { values: FailingExample['values']; sourceFile?: string | null; sourceRow?: number | null };
    return {
      values: x.values,
      ...(x.sourceFile ? { sourceFile: x.sourceFile } : {}),
      ...(x.sourceRow != null ? { sourceRow: Number(x.sourceRow) } : {}),
    };
  });
}

/** Measures one expectation on the target in SQL; the pure judge then decides. */
export async function observeSql<E extends Expectation>(
  client: PoolClient,
  e: E,
  target: Target,
  env: ObserveEnv,
): Promise<ObservationFor<E['kind']>> {
  const p = params(target.partitionKey === undefined ? [] : [target.partitionKey]);
  const filter = target.partitionKey === undefined ? 'true' : 't.partition_key = $1';
  const rowLevel = predicates(e, p.param, env);
  if (rowLevel) {
    const fails = rowLevel.fails.replace('__rel', target.relation).replace('__filter', filter);
    const r = (
      await client.query(
        `SELECT count(*) FILTER (WHERE ${rowLevel.applies}) AS evaluated, count(*) FILTER (WHERE ${rowLevel.applies} AND ${fails}) AS failed
         FROM ${target.relation} t ${rowLevel.join ?? ''} WHERE ${filter}`,
        p.values,
      )
    ).rows[0];
    const failed = Number(r.failed);
    const failsWhere = rowLevel.failsWhere ?? fails;
    const shown =
      failed === 0 ? [] : await examples(client, target, `${filter} AND ${rowLevel.applies} AND ${failsWhere}`, rowLevel.columns, p.values);
    return { evaluated: Number(r.evaluated), failed, examples: shown } as unknown as ObservationFor<E['kind']>;
  }
  const one = async (sql: string): Promise<Record<string, unknown>> =>
    (await client.query(sql, p.values)).rows[0] as Record<string, unknown>;
  switch (e.kind) {
    case 'row_count_between':
      return { rowCount: Number((await one(`SELECT count(*) AS n FROM ${target.relation} t WHERE ${filter}`)).n) } as ObservationFor<
        E['kind']
      >;
    case 'sum_equals': {
      const where = e.against.where
        ? `WHERE t.${quoteIdent(e.against.where.column)}::text = ${p.param(String(e.against.where.equals satisfies Scalar))}`
        : '';
      const r =
        await one(`SELECT (SELECT coalesce(sum(${numeric(col(e.column))}), 0)::float8 FROM ${target.relation} t WHERE ${filter}) AS observed,
                                  (SELECT coalesce(sum(${numeric(col(e.against.column))}), 0)::float8 FROM ${env.resolve(e.against.asset)} t ${where}) AS expected`);
      return { observed: Number(r.observed), expected: Number(r.expected) } as ObservationFor<E['kind']>;
    }
    case 'freshness': {
      const r = await one(`SELECT to_char(max(${col(e.column)}), 'YYYY-MM-DD') AS newest FROM ${target.relation} t WHERE ${filter}`);
      return { newest: (r.newest as string | null) ?? null, asOf: await env.asOf() } as ObservationFor<E['kind']>;
    }
    case 'drift': {
      const statistic = driftStatistic(e, p.param);
      const r = await one(
        `SELECT ${statistic} AS observed, count(${col(e.column)}) AS evaluated FROM ${target.relation} t WHERE ${filter}`,
      );
      const previous =
        target.previousRelation === undefined
          ? null
          : (await client.query(`SELECT ${statistic} AS v FROM ${target.previousRelation} t WHERE ${filter}`, p.values)).rows[0].v;
      return {
        observed: r.observed === null ? null : Number(r.observed),
        previous: previous === null || previous === undefined ? null : Number(previous),
        evaluated: Number(r.evaluated),
      } as ObservationFor<E['kind']>;
    }
    default:
      throw new Error(`no SQL observation for expectation kind '${e.kind}'`);
  }
}

function driftStatistic(e: Drift, param: (v: unknown) => string): string {
  return e.statistic.type === 'mean'
    ? `avg(${numeric(col(e.column))})::float8`
    : `avg(CASE WHEN ${col(e.column)}::text = ${param(String(e.statistic.category))} THEN 1 ELSE 0 END)::float8`;
}
