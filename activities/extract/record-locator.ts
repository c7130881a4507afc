// Maps PostgreSQL's physical line numbers (COPY counts lines) to CSV record numbers (quoted fields may hold newlines).
import fs from 'node:fs';

export interface RecordLocation {
  /** 1-based data record (the header is record 0). */
  record: number;
  /** Physical line (1-based, header included) on which that record starts. */
  startLine: number;
}

export interface FileRecords {
  /** The record that physical line `line` belongs to, or null past the end of the file. */
  at(line: number): RecordLocation | null;
  /** The record whose quoted field is still open at the end of the file (an unterminated quote), or null. */
  unterminated: RecordLocation | null;
}

const QUOTE = 0x22;
const LF = 0x0a;

/**
 * Scans the file's bytes as PostgreSQL's CSV mode reads them (quote and escape `"`; a newline outside quotes ends a
 * record; bytes are not decoded, so a bad UTF-8 byte does not disturb the count) and remembers where each record starts.
 */
export async function scanRecords(file: string): Promise<FileRecords> {
  const starts: number[] = [1]; // starts[k] = physical line of record k (0 = header)
  let line = 1;
  let inQuote = false;
  let pendingStart = false;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (pendingStart) {
        starts.push(line);
        pendingStart = false;
      }
      if (b === QUOTE) inQuote = !inQuote;
      else if (b === LF) {
        line++;
        if (!inQuote) pendingStart = true;
      }
    }
  }
  const last = starts.length - 1;
  return {
    at(target: number) {
      if (target < 1 || target > line) return null;
      // The last record starting at or before the target line.
      let lo = 0;
      let hi = last;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid]! <= target) lo = mid;
        else hi = mid - 1;
      }
      return { record: lo, startLine: starts[lo]! };
    },
    unterminated: inQuote ? { record: last, startLine: starts[last]! } : null,
  };
}
