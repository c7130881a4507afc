// Tests for the payment tolerance band, on the real differences measured in sample-1k.
import { describe, it, expect } from 'vitest';
import { fromCentavos } from '../shared/money.value-object';
import { DEFAULT_PAYMENT_POLICY, paymentVerdict, toleranceFor, withinTolerance } from './payment-tolerance.policy';

const R = (reais: number) => fromCentavos(Math.round(reais * 100));

describe('payment tolerance', () => {
  it('when payments equal items + freight or differ by a centavo, then they are within tolerance', () => {
    const band = toleranceFor(R(445.2), 1);
    expect(withinTolerance(R(445.19), R(445.2), band)).toBe(true);
    expect(withinTolerance(R(255.56), R(255.55), toleranceFor(R(255.55), 1))).toBe(true);
  });

  it('when a 10-installment card order is 13% over (a real sample-1k order: 233.97 for 207.00), then it is within tolerance', () => {
    expect(toleranceFor(R(207), 10)).toEqual({ under: 5, over: 5 + 4140 });
    expect(withinTolerance(R(233.97), R(207), toleranceFor(R(207), 10))).toBe(true);
    expect(withinTolerance(R(109.55), R(103.55), toleranceFor(R(103.55), 4))).toBe(true);
  });

  it('when a single-installment payment is 5% over or any payment is 6 centavos short, then it is outside tolerance', () => {
    expect(withinTolerance(R(105), R(100), toleranceFor(R(100), 1))).toBe(false);
    expect(withinTolerance(R(99.94), R(100), toleranceFor(R(100), 12))).toBe(false);
    expect(withinTolerance(R(99.95), R(100), toleranceFor(R(100), 1))).toBe(true);
  });

  it('when installments are 0 (they occur in the source), then they count as 1', () => {
    expect(toleranceFor(R(100), 0)).toEqual(toleranceFor(R(100), 1));
  });

  it('when payments are judged, then within the band is ordinary, beyond it flagged, beyond 10× items + freight over impossible', () => {
    expect(paymentVerdict(R(233.97), R(207), 10)).toBe('within');
    expect(paymentVerdict(R(105), R(100), 1)).toBe('outside');
    expect(paymentVerdict(R(0), R(100), 1)).toBe('outside');
    expect(paymentVerdict(R(1100), R(100), 1, DEFAULT_PAYMENT_POLICY)).toBe('outside');
    expect(paymentVerdict(R(1100.01), R(100), 1)).toBe('impossible');
  });
});
