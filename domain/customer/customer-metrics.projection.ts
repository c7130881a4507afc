// Customer metrics kept up to date from sales events through the event dispatcher (reacts to OrderDelivered).
import type { OrderDelivered } from '../sales/order-delivered.event';
import { createEventDispatcher, dispatchEvents, type DispatchOutcome } from '../shared/event-dispatcher.service';
import type { DomainEvent } from '../shared/domain-event.base';
import * as Money from '../shared/money.value-object';
import { linkCustomerId, newCustomer, recordPurchase, type Customer } from './customer.aggregate';

/**
 * The projection's state. The fold owns it: handlers update the maps in place (copying a map of ~100k people
 * per event would make a full replay quadratic), so start each replay from customerMetricsState().
 */
export interface CustomerMetricsState {
  /** customer_id (one per order) → customer_unique_id (the person). */
  readonly personOf: Map<string, string>;
  readonly customers: Map<string, Customer>;
}

export function customerMetricsState(links: ReadonlyArray<{ customerId: string; customerUniqueId: string }>): CustomerMetricsState {
  const state: CustomerMetricsState = { personOf: new Map(), customers: new Map() };
  for (const { customerId, customerUniqueId } of links) {
    state.personOf.set(customerId, customerUniqueId);
    state.customers.set(
      customerUniqueId,
      linkCustomerId(state.customers.get(customerUniqueId) ?? newCustomer(customerUniqueId), customerId),
    );
  }
  return state;
}

function onOrderDelivered(state: CustomerMetricsState, event: OrderDelivered): CustomerMetricsState {
  const person = state.personOf.get(event.payload.customerId);
  if (person === undefined) return state; // an order of a customer outside this projection
  const amount = Money.fromDecimalString(event.payload.paymentsTotal);
  if (!amount.ok) throw new RangeError(`OrderDelivered ${event.eventId}: ${amount.error}`);
  const current = state.customers.get(person) ?? newCustomer(person);
  state.customers.set(
    person,
    recordPurchase(current, {
      orderId: event.payload.orderId,
      customerId: event.payload.customerId,
      purchaseAt: event.payload.purchaseAt,
      amount: amount.value,
    }),
  );
  return state;
}

export const customerMetricsDispatcher = createEventDispatcher<CustomerMetricsState>().on<OrderDelivered>(
  'OrderDelivered',
  onOrderDelivered,
);

/** Folds events into the metrics; events already handled (by id) are skipped, so replays do not double count. */
export function applyToCustomerMetrics(
  state: CustomerMetricsState,
  events: readonly DomainEvent[],
  alreadyHandled?: ReadonlySet<string>,
): DispatchOutcome<CustomerMetricsState> {
  return dispatchEvents(customerMetricsDispatcher, state, events, alreadyHandled);
}
