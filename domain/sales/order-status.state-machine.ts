// The order lifecycle as a state machine: created → approved → invoiced → processing → shipped → delivered; canceled/unavailable end any earlier state.
import { err, ok, type Result } from '../shared/result.type';

export const ORDER_STATUSES = ['created', 'approved', 'invoiced', 'processing', 'shipped', 'delivered', 'canceled', 'unavailable'] as const;

export type OrderStatus = (typeof ORDER_STATUSES)[number];

const HAPPY_PATH: readonly OrderStatus[] = ['created', 'approved', 'invoiced', 'processing', 'shipped', 'delivered'];
const ENDINGS: readonly OrderStatus[] = ['canceled', 'unavailable'];

/** Allowed next statuses of each status. */
export const TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  created: ['approved', ...ENDINGS],
  approved: ['invoiced', ...ENDINGS],
  invoiced: ['processing', ...ENDINGS],
  processing: ['shipped', ...ENDINGS],
  shipped: ['delivered', ...ENDINGS],
  delivered: [],
  canceled: [],
  unavailable: [],
};

export function parseOrderStatus(text: string): Result<OrderStatus, string> {
  return (ORDER_STATUSES as readonly string[]).includes(text)
    ? ok(text as OrderStatus)
    : err(`status '${text}' is not one of ${ORDER_STATUSES.join(', ')}`);
}

export const canTransition = (from: OrderStatus, to: OrderStatus): boolean => TRANSITIONS[from].includes(to);

export const isTerminal = (status: OrderStatus): boolean => TRANSITIONS[status].length === 0;

/** canceled or unavailable: the order ended before delivery. */
export const endedBeforeDelivery = (status: OrderStatus): boolean => ENDINGS.includes(status);

/** Moves an order along the lifecycle, or says why it cannot. */
export function transition(from: OrderStatus, to: OrderStatus): Result<OrderStatus, string> {
  return canTransition(from, to) ? ok(to) : err(`an order cannot go from ${from} to ${to}`);
}

/** True when an order in `status` has passed through `milestone` on the happy path (delivered has reached shipped). */
export function hasReached(status: OrderStatus, milestone: OrderStatus): boolean {
  const at = HAPPY_PATH.indexOf(status);
  const target = HAPPY_PATH.indexOf(milestone);
  return at >= 0 && target >= 0 && at >= target;
}
