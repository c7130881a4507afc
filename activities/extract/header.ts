// Reads and checks a CSV file's header against its contract before any row is loaded.
import { parse } from 'csv-parse/sync';
import fs from 'node:fs';
import type { SourceContract } from '../../schema/contracts/olist';
import { badInput } from '../errors';

const BOM = '\uFEFF';

/** Reads the first line (a header never has quoted newlines); at most 64 KiB. */
function firstLine(file: string): string {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    const text = buf.subarray(0, n).toString('utf8');
    const end = text.search(/\r?\n/);
    return end === -1 ? text : text.slice(0, end);
  } finally {
    fs.closeSync(fd);
  }
}

/** Throws a non-retryable EXTRACT.* failure naming the file and the columns when the header breaks the contract. */
export function checkHeader(file: string, contract: SourceContract): void {
  if (fs.statSync(file).size === 0) {
    throw badInput(
      'EXTRACT.EMPTY_FILE',
      `${contract.file} is empty: expected at least the header line (${contract.columns.map((c) => c.name).join(',')})`,
      { file: contract.file },
    );
  }
  let line = firstLine(file);
  if (line.startsWith(BOM)) line = line.slice(1);
  let found: string[];
  try {
    found = (parse(line, { relax_quotes: true }) as string[][])[0] ?? [];
  } catch (err) {
    throw badInput('EXTRACT.BAD_HEADER', `${contract.file}: the header line is not valid CSV (${(err as Error).message})`, {
      file: contract.file,
    });
  }
  found = found.map((h) => h.trim());
  const expected = contract.columns.map((c) => c.name);
  const missing = expected.filter((c) => !found.includes(c));
  const extra = found.filter((c) => !expected.includes(c));
  if (missing.length || extra.length) {
    const parts = [missing.length ? `missing ${missing.join(', ')}` : '', extra.length ? `unexpected ${extra.join(', ')}` : ''].filter(
      Boolean,
    );
    throw badInput(
      'EXTRACT.HEADER_MISMATCH',
      `${contract.file}: header does not match the contract: ${parts.join('; ')} (expected ${expected.join(',')})`,
      {
        file: contract.file,
        missing,
        extra,
      },
    );
  }
  if (found.join(',') !== expected.join(',')) {
    throw badInput(
      'EXTRACT.HEADER_ORDER',
      `${contract.file}: columns are in a different order: found ${found.join(',')}, expected ${expected.join(',')}`,
      {
        file: contract.file,
      },
    );
  }
}
