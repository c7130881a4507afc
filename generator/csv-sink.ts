// Buffered, hashing file writer for one generated CSV: counts records, bytes and the sha256 of what it wrote.
import { createHash, type Hash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';

const FLUSH_AT = 1 << 20; // characters buffered before a write

export interface SinkSummary {
  file: string;
  path: string;
  /** Records written, excluding the header. */
  rows: number;
  bytes: number;
  sha256: string;
}

export class CsvSink {
  private parts: string[] = [];
  private buffered = 0;
  private rowCount = 0;
  private byteCount = 0;
  private readonly hash: Hash = createHash('sha256');

  private constructor(
    readonly file: string,
    readonly path: string,
    private readonly handle: FileHandle,
  ) {}

  static async open(file: string, path: string): Promise<CsvSink> {
    return new CsvSink(file, path, await open(path, 'w'));
  }

  /** Records written so far; the next record's 1-based number is `rows + 1`. */
  get rows(): number {
    return this.rowCount;
  }

  /** Writes raw text that is not a record (header, BOM). */
  raw(text: string): void {
    this.parts.push(text);
    this.buffered += text.length;
  }

  /** Adds one record (a complete line, with its line end). Returns its 1-based record number. */
  record(line: string): number {
    this.parts.push(line);
    this.buffered += line.length;
    return ++this.rowCount;
  }

  /** Adds records counted by the caller (bulk copies of reference rows). */
  records(text: string, count: number): void {
    this.raw(text);
    this.rowCount += count;
  }

  get pending(): boolean {
    return this.buffered >= FLUSH_AT;
  }

  async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const buf = Buffer.from(this.parts.join(''), 'utf8');
    this.parts = [];
    this.buffered = 0;
    this.hash.update(buf);
    this.byteCount += buf.length;
    let offset = 0;
    while (offset < buf.length) {
      const { bytesWritten } = await this.handle.write(buf, offset, buf.length - offset);
      offset += bytesWritten;
    }
  }

  async flushIfFull(): Promise<void> {
    if (this.pending) await this.flush();
  }

  async close(): Promise<SinkSummary> {
    await this.flush();
    await this.handle.close();
    return { file: this.file, path: this.path, rows: this.rowCount, bytes: this.byteCount, sha256: this.hash.digest('hex') };
  }

  /** Closes the file without a summary (after an error). */
  async abort(): Promise<void> {
    await this.handle.close().catch(() => undefined);
  }
}
