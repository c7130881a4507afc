// Money: Brazilian reais held as integer centavos, parsed from and printed to exact decimal strings (no floats).
import { err, ok, type Result } from './result.type';

export interface Money {
  readonly centavos: number;
}

const DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?$/;

export const ZERO: Money = Object.freeze({ centavos: 0 });

/** Wraps an integer number of centavos; a non-integer is a programmer error. */
export function fromCentavos(centavos: number): Money {
  if (!Number.isSafeInteger(centavos)) throw new RangeError(`centavos must be a safe integer, got ${centavos}`);
  return { centavos: centavos === 0 ? 0 : centavos }; // normalise -0
}

/** Parses '279.90', '279.9', '12', '-1.50' exactly; extra decimals are allowed only when they are zeros ('1.500'). */
export function fromDecimalString(text: string): Result<Money, string> {
  const match = DECIMAL.exec(text.trim());
  if (match === null) return err(`'${text}' is not a decimal amount`);
  const [, sign = '', whole = '', fraction = ''] = match;
  if (/[^0]/.test(fraction.slice(2))) return err(`'${text}' has fractions of a centavo`);
  const cents = (fraction + '00').slice(0, 2);
  const magnitude = Number(whole) * 100 + Number(cents);
  if (!Number.isSafeInteger(magnitude)) return err(`'${text}' is too large`);
  return ok(fromCentavos(sign === '-' ? -magnitude : magnitude));
}

export const add = (a: Money, b: Money): Money => fromCentavos(a.centavos + b.centavos);
export const sub = (a: Money, b: Money): Money => fromCentavos(a.centavos - b.centavos);
export const sum = (amounts: readonly Money[]): Money => amounts.reduce(add, ZERO);
export const compare = (a: Money, b: Money): -1 | 0 | 1 => (a.centavos < b.centavos ? -1 : a.centavos > b.centavos ? 1 : 0);
export const isPositive = (m: Money): boolean => m.centavos > 0;
export const isNegative = (m: Money): boolean => m.centavos < 0;

/** Prints exactly two decimals: 27990 centavos → '279.90', -5 → '-0.05'. */
export function toDecimalString(m: Money): string {
  const abs = Math.abs(m.centavos);
  const text = `${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
  return m.centavos < 0 ? `-${text}` : text;
}

/** Like toDecimalString but always signed ('+26.97', '-0.01', '0.00'), for differences in messages. */
export function toSignedDecimalString(m: Money): string {
  return m.centavos > 0 ? `+${toDecimalString(m)}` : toDecimalString(m);
}
