// Tests for Money: exact decimal parsing, arithmetic in centavos and printing.
import { describe, it, expect } from 'vitest';
import * as Money from './money.value-object';

const parse = (text: string): Money.Money => {
  const r = Money.fromDecimalString(text);
  if (!r.ok) throw new Error(r.error);
  return r.value;
};

describe('Money', () => {
  it('when a decimal string is parsed, then it becomes exact integer centavos', () => {
    expect(parse('279.90').centavos).toBe(27990);
    expect(parse('279.9').centavos).toBe(27990);
    expect(parse('12').centavos).toBe(1200);
    expect(parse('0.01').centavos).toBe(1);
    expect(parse('-1.50').centavos).toBe(-150);
    expect(parse('+3.05').centavos).toBe(305);
    expect(parse('1.500').centavos).toBe(150);
    expect(parse('-0.00').centavos).toBe(0);
    expect(Object.is(parse('-0.00').centavos, -0)).toBe(false);
  });

  it('when values that floats get wrong are added, then the sum is exact', () => {
    expect(Money.toDecimalString(Money.add(parse('0.10'), parse('0.20')))).toBe('0.30');
    expect(Money.toDecimalString(Money.sum(['189.00', '18.00', '0.01'].map(parse)))).toBe('207.01');
  });

  it('when the text is not a decimal or has fractions of a centavo, then parsing fails with a reason', () => {
    for (const bad of ['', 'abc', '1,50', '1.2.3', '.5', '1e3', 'NaN']) expect(Money.fromDecimalString(bad).ok).toBe(false);
    const r = Money.fromDecimalString('1.005');
    expect(r).toEqual({ ok: false, error: "'1.005' has fractions of a centavo" });
    expect(Money.fromDecimalString('99999999999999999999').ok).toBe(false);
  });

  it('when amounts are subtracted and compared, then sign and order follow the centavos', () => {
    const d = Money.sub(parse('207.00'), parse('233.97'));
    expect(Money.toDecimalString(d)).toBe('-26.97');
    expect(Money.toSignedDecimalString(Money.sub(parse('233.97'), parse('207.00')))).toBe('+26.97');
    expect(Money.toSignedDecimalString(Money.ZERO)).toBe('0.00');
    expect(Money.toDecimalString(parse('-0.05'))).toBe('-0.05');
    expect(Money.compare(parse('1'), parse('2'))).toBe(-1);
    expect(Money.compare(parse('2'), parse('1'))).toBe(1);
    expect(Money.compare(parse('2'), parse('2.00'))).toBe(0);
    expect(Money.isPositive(parse('0.01'))).toBe(true);
    expect(Money.isPositive(Money.ZERO)).toBe(false);
    expect(Money.isNegative(parse('-0.01'))).toBe(true);
    expect(Money.isNegative(Money.ZERO)).toBe(false);
  });

  it('when centavos are not a safe integer, then fromCentavos throws (a programmer error)', () => {
    expect(() => Money.fromCentavos(1.5)).toThrow(RangeError);
    expect(Money.fromCentavos(-0).centavos).toBe(0);
  });
});
