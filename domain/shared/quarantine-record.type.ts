// QuarantineRecord: a rejected input row with its provenance, the rule it broke and a readable reason.
import type { ErrorCode } from './domain-error.type';

export interface QuarantineRecord<TTable extends string = string> {
  readonly table: TTable;
  readonly sourceRow: number;
  readonly sourceSha256: string;
  readonly ruleCode: ErrorCode;
  readonly reason: string;
}

/** Provenance every staged row carries. */
export interface SourceProvenance {
  readonly sourceRow: number;
  readonly sourceSha256: string;
}

export const quarantine = <T extends string>(
  table: T,
  row: SourceProvenance,
  ruleCode: ErrorCode,
  reason: string,
): QuarantineRecord<T> => ({
  table,
  sourceRow: row.sourceRow,
  sourceSha256: row.sourceSha256,
  ruleCode,
  reason,
});
