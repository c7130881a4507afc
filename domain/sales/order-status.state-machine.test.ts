// Tests for the order lifecycle state machine.
import { describe, it, expect } from 'vitest';
import {
  canTransition,
  endedBeforeDelivery,
  hasReached,
  isTerminal,
  ORDER_STATUSES,
  parseOrderStatus,
  transition,
} from './order-status.state-machine';

describe('order lifecycle', () => {
  it('when an order follows the happy path, then each step is allowed', () => {
    const path = ['created', 'approved', 'invoiced', 'processing', 'shipped', 'delivered'] as const;
    for (let i = 1; i < path.length; i++) expect(canTransition(path[i - 1]!, path[i]!)).toBe(true);
  });

  it('when a step is skipped or reversed, then the transition is refused with a reason', () => {
    expect(canTransition('created', 'shipped')).toBe(false);
    expect(canTransition('shipped', 'approved')).toBe(false);
    expect(transition('created', 'delivered')).toEqual({ ok: false, error: 'an order cannot go from created to delivered' });
    expect(transition('created', 'approved')).toEqual({ ok: true, value: 'approved' });
  });

  it('when an order is not yet delivered, then canceled and unavailable can end it; after delivery nothing can', () => {
    for (const s of ['created', 'approved', 'invoiced', 'processing', 'shipped'] as const) {
      expect(canTransition(s, 'canceled')).toBe(true);
      expect(canTransition(s, 'unavailable')).toBe(true);
    }
    expect(canTransition('delivered', 'canceled')).toBe(false);
    expect(['delivered', 'canceled', 'unavailable'].every((s) => isTerminal(s as never))).toBe(true);
    expect(isTerminal('shipped')).toBe(false);
    expect(endedBeforeDelivery('canceled')).toBe(true);
    expect(endedBeforeDelivery('delivered')).toBe(false);
  });

  it('when asked whether a status has passed a milestone, then only the happy path counts', () => {
    expect(hasReached('delivered', 'shipped')).toBe(true);
    expect(hasReached('approved', 'shipped')).toBe(false);
    expect(hasReached('canceled', 'created')).toBe(false);
  });

  it('when a status is parsed, then the eight Olist statuses pass and anything else is SALES.UNKNOWN_STATUS material', () => {
    for (const s of ORDER_STATUSES) expect(parseOrderStatus(s).ok).toBe(true);
    expect(parseOrderStatus('Delivered').ok).toBe(false);
    expect(parseOrderStatus('lost')).toMatchObject({ ok: false, error: expect.stringContaining("status 'lost'") });
  });
});
