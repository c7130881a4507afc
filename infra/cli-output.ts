// CLI output: tables, durations, the live progress view on a TTY and JSON lines elsewhere.
import type { AssetProgress, RunSummary } from '../workflows/definitions';

export class UsageError extends Error {
  readonly code: string;
  constructor(message: string, code = 'USAGE') {
    super(message);
    this.code = code;
  }
}

export function table(rows: (string | number | null | undefined)[][], header: string[]): string {
  const all = [header, ...rows.map((r) => r.map((c) => (c === null || c === undefined ? '' : String(c))))];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  return all.map((r) => r.map((c, i) => (c ?? '').padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n');
}

export function ms(n: number | null | undefined): string {
  if (n === null || n === undefined) return '';
  return n < 1000 ? `${n} ms` : `${(n / 1000).toFixed(1)} s`;
}

export function count(n: number | null | undefined): string {
  return n === null || n === undefined ? '' : n.toLocaleString('en-US');
}

const MARK: Record<AssetProgress['state'], string> = {
  pending: '·', running: '▶', materialized: '✔', skipped: '=', failed: '✘', blocked: '⊘',
};

function assetLine(a: AssetProgress): string[] {
  const detail = a.state === 'failed' ? `${a.error?.code}: ${a.error?.message}` : a.state === 'blocked' ? `blocked by ${a.blockedBy}` : a.state === 'skipped' ? 'checkpoint current' : '';
  return [`${MARK[a.state]} ${a.key}`, a.state, count(a.rowsRead), count(a.rowsWritten), count(a.rowsQuarantined || undefined), ms(a.durationMs), detail];
}

export function summaryTable(s: RunSummary): string {
  return table(s.assets.map(assetLine), ['asset', 'state', 'read', 'written', 'quarantined', 'time', 'detail']);
}

/** Redraws the run's table in place on a terminal. */
export class LiveView {
  private lines = 0;
  private readonly started = Date.now();

  render(s: RunSummary): void {
    const done = s.assets.filter((a) => !['pending', 'running'].includes(a.state)).length;
    const rows = s.assets.reduce((n, a) => n + (a.rowsRead ?? 0), 0);
    const elapsed = (Date.now() - this.started) / 1000;
    const eta = done > 0 && done < s.assets.length ? ` · ETA ${Math.ceil((elapsed / done) * (s.assets.length - done))} s` : '';
    const text = `${summaryTable(s)}\n${done}/${s.assets.length} assets · ${count(rows)} rows · ${elapsed.toFixed(1)} s${eta}`;
    if (this.lines) process.stdout.write(`\x1b[${this.lines}A\x1b[J`);
    process.stdout.write(`${text}\n`);
    this.lines = text.split('\n').length;
  }
}

/** Emits one JSON line per asset state change (for logs and CI). */
export class JsonLines {
  private readonly seen = new Map<string, string>();

  render(s: RunSummary): void {
    for (const a of s.assets) {
      if (this.seen.get(a.key) === a.state) continue;
      this.seen.set(a.key, a.state);
      if (a.state === 'pending') continue;
      process.stderr.write(`${JSON.stringify({ ts: new Date().toISOString(), event: 'asset', ...a })}\n`);
    }
  }
}
