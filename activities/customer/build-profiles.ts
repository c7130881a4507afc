// domain/customer/profiles (all months): customer metrics fed by OrderDelivered events from the outbox, then segments.
import {
  type CustomerProfile,
  DEFAULT_SEGMENT_THRESHOLDS,
  applyToCustomerMetrics,
  buildProfile,
  customerMetricsState,
} from '../../domain/customer';
import type { DomainEvent } from '../../domain/shared';
import type { PoolClient } from '../../infra/db';
import { customerProfiles } from '../../schema/domain';
import { insertTableRows } from '../shared/table-rows';
import type { CheckResult, RowCounts } from '../types';

const BATCH = 10_000;

export async function buildProfiles(client: PoolClient): Promise<{ counts: RowCounts; checks: CheckResult[] }> {
  await client.query('TRUNCATE customer.profiles');
  const links = await client.query(`SELECT customer_id AS "customerId", customer_unique_id AS "customerUniqueId" FROM customer.customers`);
  const state = customerMetricsState(links.rows);
  // The as-of moment is the data's last purchase, never the wall clock.
  const asOf: string | null = (await client.query(`SELECT max(purchased_at) AS t FROM sales.orders`)).rows[0].t;
  let after = '';
  let events = 0;
  for (;;) {
    const batch = await client.query(
      `SELECT event_id AS "eventId", event_type AS "eventType", aggregate_type AS "aggregateType", aggregate_id AS "aggregateId",
              sequence, occurred_at AS "occurredAt", payload
         FROM events.outbox WHERE event_type = 'OrderDelivered' AND event_id > $1 ORDER BY event_id LIMIT ${BATCH}`,
      [after],
    );
    if (batch.rows.length === 0) break;
    applyToCustomerMetrics(state, batch.rows as DomainEvent[]);
    events += batch.rows.length;
    after = batch.rows[batch.rows.length - 1].eventId;
  }
  const profiles: CustomerProfile[] = asOf
    ? [...state.customers.values()].map((c) => buildProfile(c, asOf, DEFAULT_SEGMENT_THRESHOLDS))
    : [];
  await insertTableRows(
    client,
    customerProfiles,
    {
      customerUniqueId: (p) => p.customerUniqueId,
      ordersCount: (p) => p.orders,
      totalSpent: (p) => p.totalSpent,
      firstOrderAt: (p) => p.firstOrderAt,
      lastOrderAt: (p) => p.lastOrderAt,
      recencyDays: (p) => p.recencyDays,
      segment: (p) => p.segment,
      asOf: (p) => p.asOf,
    },
    profiles,
  );
  const persons = Number((await client.query(`SELECT count(DISTINCT customer_unique_id) AS n FROM customer.customers`)).rows[0].n);
  const segments = await client.query(`SELECT segment, count(*)::int AS n FROM customer.profiles GROUP BY 1 ORDER BY 1`);
  return {
    counts: { rowsRead: persons, rowsWritten: profiles.length, rowsQuarantined: 0, rowsDeduplicated: 0 },
    checks: [
      {
        name: 'one_profile_per_person',
        blocking: true,
        passed: persons === profiles.length,
        message: `${persons} persons, ${profiles.length} profiles, from ${events} OrderDelivered events as of ${asOf}`,
      },
      {
        name: 'segment_mix',
        blocking: false,
        passed: true,
        message: segments.rows.map((r) => `${r.segment}: ${r.n}`).join(', '),
        metadata: Object.fromEntries(segments.rows.map((r) => [r.segment, r.n])),
      },
    ],
  };
}
