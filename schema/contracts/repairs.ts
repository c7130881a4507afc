// Unambiguous repairs of export artefacts, applied in staging before the contract's checks: each in JS and in SQL.
import type { ColumnSpec } from './column-types';

/** Part of every staging asset's code version: bump when a repair changes. */
export const REPAIRS_VERSION = 'repairs@1';

export const REPAIR_RULES = {
  CONTROL_CHARACTERS: 'REPAIR.CONTROL_CHARACTERS',
  SURROUNDING_WHITESPACE: 'REPAIR.SURROUNDING_WHITESPACE',
  ZIP_LEFT_PADDED: 'REPAIR.ZIP_LEFT_PADDED',
  EXACT_DECIMAL_INTEGER: 'REPAIR.EXACT_DECIMAL_INTEGER',
} as const;

export interface RepairStep {
  rule: (typeof REPAIR_RULES)[keyof typeof REPAIR_RULES];
  applies: (v: string) => boolean;
  fix: (v: string) => string;
  /** The same as SQL over a non-null text expression `v`. */
  sqlApplies: (v: string) => string;
  sqlFix: (v: string) => string;
}

const CONTROL: RepairStep = {
  rule: REPAIR_RULES.CONTROL_CHARACTERS,
  applies: (v) => /[\x01-\x1f\x7f]/.test(v),
  fix: (v) => v.replace(/[\x01-\x1f\x7f]+/g, ' '),
  sqlApplies: (v) => `${v} ~ '[\\x01-\\x1f\\x7f]'`,
  sqlFix: (v) => `regexp_replace(${v}, '[\\x01-\\x1f\\x7f]+', ' ', 'g')`,
};

const TRIM: RepairStep = {
  rule: REPAIR_RULES.SURROUNDING_WHITESPACE,
  applies: (v) => /^ |^\t| $|\t$/.test(v),
  fix: (v) => v.replace(/^[ \t]+|[ \t]+$/g, ''),
  sqlApplies: (v) => `${v} <> btrim(${v}, E' \\t')`,
  sqlFix: (v) => `btrim(${v}, E' \\t')`,
};

const ZIP: RepairStep = {
  rule: REPAIR_RULES.ZIP_LEFT_PADDED,
  applies: (v) => /^[0-9]{1,4}$/.test(v),
  fix: (v) => v.padStart(5, '0'),
  sqlApplies: (v) => `${v} ~ '^[0-9]{1,4}$'`,
  sqlFix: (v) => `lpad(${v}, 5, '0')`,
};

const INTEGER: RepairStep = {
  rule: REPAIR_RULES.EXACT_DECIMAL_INTEGER,
  applies: (v) => /^-?[0-9]{1,9}\.0+$/.test(v),
  fix: (v) => v.slice(0, v.indexOf('.')),
  sqlApplies: (v) => `${v} ~ '^-?[0-9]{1,9}\\.0+$'`,
  sqlFix: (v) => `split_part(${v}, '.', 1)`,
};

/**
 * The repairs of a column, in order. Free text (review titles and messages) is left as written; cities lose
 * control characters (a newline in a city is an export artefact) and surrounding blanks; every typed column
 * loses surrounding blanks; zip prefixes of 1–4 digits get their leading zeros back; integers written as `44.0`
 * become `44` (`44.5` stays a contract failure).
 */
export function repairSteps(col: ColumnSpec): RepairStep[] {
  if (col.kind === 'text') return col.name.endsWith('_city') ? [CONTROL, TRIM] : [];
  if (col.kind === 'zip') return [TRIM, ZIP];
  if (col.kind === 'integer') return [TRIM, INTEGER];
  return [TRIM];
}

/** The value after every repair of its column, and the rules that changed it. */
export function repairValue(col: ColumnSpec, value: string): { value: string; rules: RepairStep['rule'][] } {
  let v = value;
  const rules: RepairStep['rule'][] = [];
  for (const step of repairSteps(col)) {
    if (v === '' || !step.applies(v)) continue;
    v = step.fix(v);
    rules.push(step.rule);
  }
  return { value: v, rules };
}

/**
 * The per-source repairs switch, DW_REPAIRS_OFF: `all`, or a comma-separated list of source names (`customers,sellers`).
 * Those sources are staged as written (a shortened zip is then a contract failure, as before repairs existed), and their
 * staging code version says `no-repairs`, so switching re-stages them. Unset or empty: every source is repaired.
 */
export function repairsOffFrom(value: string | undefined, sources: readonly string[]): ReadonlySet<string> {
  const names = (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.includes('all')) return new Set(sources);
  const unknown = names.filter((n) => !sources.includes(n));
  if (unknown.length) {
    throw new Error(`DW_REPAIRS_OFF names unknown source(s) ${unknown.join(', ')}: use 'all' or some of ${sources.join(', ')}`);
  }
  return new Set(names);
}
