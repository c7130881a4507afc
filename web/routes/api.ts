// The read API (/api/v1): who am I, the executive monthly figures (analytics.mart_executive_dashboard) and the sellers'
// performance (analytics.mart_seller_performance, scoped by row-level security: no seller filter here).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Pool } from '../../infra/db';
import type { Claims } from '../auth/claims';
import { HttpError } from '../errors';
import { schemaIdent, withClaims } from '../reader';
import { month, parseParams } from './params';

const monthlyQuery = z
  .object({ from: month.optional(), to: month.optional() })
  .strict()
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, { path: ['to'], message: 'must not be before from' });

/** A non-negative integer parameter given as digits, within `max`. */
const count = (max: number) =>
  z
    .string()
    .regex(/^\d{1,7}$/, 'must be a whole number')
    .transform(Number)
    .refine((n) => n <= max, `must be at most ${max}`);

export const SELLER_PAGE_MAX = 1000;

const sellerQuery = z
  .object({
    from: month.optional(),
    to: month.optional(),
    limit: count(SELLER_PAGE_MAX)
      .refine((n) => n >= 1, 'must be at least 1')
      .optional(),
    offset: count(10_000_000).optional(),
  })
  .strict()
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, { path: ['to'], message: 'must not be before from' });

/**
 * The page of seller x month rows the caller may see, by month then seller. Deliberately no seller or state filter:
 * the policy on the mart (schema/rls.ts) reads the request's claims and returns only the caller's rows.
 */
export const SELLER_PERFORMANCE_SQL = (mart: string) =>
  `SELECT seller_id, month, seller_state, gmv::text AS gmv, orders_count, gmv_orders_count, items_count, delivered_orders_count,
          on_time_orders_count, on_time_rate::float8 AS on_time_rate, reviewed_orders_count,
          average_review_score::float8 AS average_review_score, canceled_orders_count, cancellation_rate::float8 AS cancellation_rate
     FROM ${mart}
    WHERE ($1::text IS NULL OR month >= $1) AND ($2::text IS NULL OR month <= $2)
    ORDER BY month, seller_id
    LIMIT $3 OFFSET $4`;

/** One seller's month: money as an exact decimal string (BRL), rates as numbers 0..1 (null: no data). */
export interface SellerMonth {
  sellerId: string;
  month: string;
  state: string;
  gmv: string;
  orders: number;
  gmvOrders: number;
  items: number;
  deliveredOrders: number;
  onTimeOrders: number;
  onTimeRate: number | null;
  reviewedOrders: number;
  averageReviewScore: number | null;
  canceledOrders: number;
  cancellationRate: number | null;
}

/** One month of the executive dashboard: money as exact decimal strings (BRL), rates as numbers 0..1 (null: no data). */
export interface ExecutiveMonth {
  month: string;
  gmv: string;
  orders: number;
  gmvOrders: number;
  averageOrderValue: string | null;
  deliveredOrders: number;
  onTimeOrders: number;
  onTimeRate: number | null;
  reviewedOrders: number;
  averageReviewScore: number | null;
  canceledOrders: number;
  cancellationRate: number | null;
}

export function registerApi(app: FastifyInstance, pool: Pool, dbtSchema: string): void {
  const mart = `${schemaIdent(dbtSchema)}.mart_executive_dashboard`;

  app.get('/api/v1/me', async (req) => {
    const c = req.claims!;
    return {
      sub: c.sub,
      role: c.role,
      sellerId: c.sellerId ?? null,
      states: c.states ?? null,
      expiresAt: new Date(c.exp * 1000).toISOString(),
    };
  });

  app.get('/api/v1/executive/monthly', async (req) => {
    const q = parseParams(monthlyQuery, req.query);
    const rows = await readMart(
      pool,
      req.claims!,
      'the executive dashboard',
      `SELECT purchase_month, gmv::text AS gmv, orders_count, gmv_orders_count, average_order_value::text AS average_order_value,
                    delivered_orders_count, on_time_orders_count, on_time_rate::float8 AS on_time_rate, reviewed_orders_count,
                    average_review_score::float8 AS average_review_score, canceled_orders_count, cancellation_rate::float8 AS cancellation_rate
               FROM ${mart}
              WHERE ($1::text IS NULL OR purchase_month >= $1) AND ($2::text IS NULL OR purchase_month <= $2)
              ORDER BY purchase_month`,
      [q.from ?? null, q.to ?? null],
    );
    const months: ExecutiveMonth[] = rows.map((r) => ({
      month: r.purchase_month,
      gmv: r.gmv,
      orders: Number(r.orders_count),
      gmvOrders: Number(r.gmv_orders_count),
      averageOrderValue: r.average_order_value,
      deliveredOrders: Number(r.delivered_orders_count),
      onTimeOrders: Number(r.on_time_orders_count),
      onTimeRate: r.on_time_rate,
      reviewedOrders: Number(r.reviewed_orders_count),
      averageReviewScore: r.average_review_score,
      canceledOrders: Number(r.canceled_orders_count),
      cancellationRate: r.cancellation_rate,
    }));
    return { from: q.from ?? null, to: q.to ?? null, months };
  });

  const sellerMart = `${schemaIdent(dbtSchema)}.mart_seller_performance`;
  app.get('/api/v1/sellers/performance', async (req) => {
    const q = parseParams(sellerQuery, req.query);
    const limit = q.limit ?? 100;
    const offset = q.offset ?? 0;
    const rows = await readMart(pool, req.claims!, 'the seller performance mart', SELLER_PERFORMANCE_SQL(sellerMart), [
      q.from ?? null,
      q.to ?? null,
      limit,
      offset,
    ]);
    const sellers: SellerMonth[] = rows.map((r) => ({
      sellerId: r.seller_id,
      month: r.month,
      state: r.seller_state,
      gmv: r.gmv,
      orders: Number(r.orders_count),
      gmvOrders: Number(r.gmv_orders_count),
      items: Number(r.items_count),
      deliveredOrders: Number(r.delivered_orders_count),
      onTimeOrders: Number(r.on_time_orders_count),
      onTimeRate: r.on_time_rate,
      reviewedOrders: Number(r.reviewed_orders_count),
      averageReviewScore: r.average_review_score,
      canceledOrders: Number(r.canceled_orders_count),
      cancellationRate: r.cancellation_rate,
    }));
    return { from: q.from ?? null, to: q.to ?? null, limit, offset, rows: sellers };
  });
}

/** A mart's rows under the caller's claims; a mart not yet published (no relation) is 503 DATA.NOT_PUBLISHED, naming it. */
async function readMart(pool: Pool, claims: Claims, what: string, sql: string, params: unknown[]) {
  return withClaims(pool, claims, async (client) => {
    try {
      return (await client.query(sql, params)).rows;
    } catch (err) {
      if ((err as { code?: string }).code === '42P01')
        throw new HttpError(503, 'DATA.NOT_PUBLISHED', `${what} has not been published yet: run dw materialize`);
      throw err;
    }
  });
}
