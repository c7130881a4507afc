// Tolerance: how far an observed number may stray from a reference, as an absolute and/or relative allowance.

/** Either allowance suffices (the larger band wins); with neither, the values must be equal. */
export interface Tolerance {
  readonly absolute?: number;
  /** A fraction of |reference|: 0.01 is 1%. */
  readonly relative?: number;
}

/** The largest allowed |observed − reference|. */
export function allowedDifference(reference: number, tolerance: Tolerance): number {
  return Math.max(tolerance.absolute ?? 0, (tolerance.relative ?? 0) * Math.abs(reference));
}

/** Float noise below this fraction of the magnitudes compared is not a difference (1.10 − 1.05 is 0.050000000000000044). */
const NOISE = 1e-9;

/** Whether |observed − reference| ≤ the allowance; the boundary itself is within. */
export function withinTolerance(observed: number, reference: number, tolerance: Tolerance): boolean {
  const noise = NOISE * Math.max(1, Math.abs(observed), Math.abs(reference));
  return Math.abs(observed - reference) <= allowedDifference(reference, tolerance) + noise;
}

/** '±0.05' / '±1%' / '±0.05 or ±1%' for messages. */
export function describeTolerance(tolerance: Tolerance): string {
  const parts: string[] = [];
  if (tolerance.absolute !== undefined) parts.push(`±${tolerance.absolute}`);
  if (tolerance.relative !== undefined) parts.push(`±${tolerance.relative * 100}%`);
  return parts.length === 0 ? 'exactly' : parts.join(' or ');
}
