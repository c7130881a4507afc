// Checks a CSV file's header line against its contract before any row is loaded.
import { parse } from 'csv-parse/sync';
import type { SourceContract } from '../../schema/contracts/olist';
import { badInput } from '../errors';

const BOM = '\uFEFF';
/** A header is read from at most this many bytes; a longer first line is no header of ours. */
export const HEADER_MAX_BYTES = 64 * 1024;

/** A found column name as an error may show it: a name, never other text the file holds (it could be anything). */
const shown = (name: string) =>
  /^[A-Za-z_][A-Za-z0-9_ ]{0,63}$/.test(name) ? name : `(${Array.from(name).length} characters that are no column name)`;

/** Throws a non-retryable EXTRACT.* failure naming the file and the columns when the header line breaks the contract. */
export function checkHeaderLine(firstLine: string, contract: SourceContract): void {
  let line = firstLine.endsWith('\r') ? firstLine.slice(0, -1) : firstLine;
  if (line.startsWith(BOM)) line = line.slice(1);
  let found: string[];
  try {
    found = (parse(line, { relax_quotes: true }) as string[][])[0] ?? [];
  } catch {
    throw badInput('EXTRACT.BAD_HEADER', `${contract.file}: the header line is not valid CSV`, { file: contract.file });
  }
  found = found.map((h) => h.trim());
  const expected = contract.columns.map((c) => c.name);
  const missing = expected.filter((c) => !found.includes(c));
  const extra = found.filter((c) => !expected.includes(c));
  if (missing.length || extra.length) {
    const parts = [
      missing.length ? `missing ${missing.join(', ')}` : '',
      extra.length ? `unexpected ${extra.map(shown).join(', ')}` : '',
    ].filter(Boolean);
    throw badInput(
      'EXTRACT.HEADER_MISMATCH',
      `${contract.file}: header does not match the contract: ${parts.join('; ')} (expected ${expected.join(',')})`,
      { file: contract.file, missing, extra: extra.map(shown) },
    );
  }
  if (found.join(',') !== expected.join(',')) {
    throw badInput(
      'EXTRACT.HEADER_ORDER',
      `${contract.file}: columns are in a different order: found ${found.join(',')}, expected ${expected.join(',')}`,
      { file: contract.file },
    );
  }
}
