// CLI output: tables, durations, the live progress view on a TTY and JSON lines elsewhere.
import type { AssetProgress, BackfillProgress, PartitionRun, RunSummary } from '../workflows/definitions';

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
  return all
    .map((r) =>
      r
        .map((c, i) => (c ?? '').padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function ms(n: number | null | undefined): string {
  if (n === null || n === undefined) return '';
  return n < 1000 ? `${n} ms` : `${(n / 1000).toFixed(1)} s`;
}

export function count(n: number | null | undefined): string {
  return n === null || n === undefined ? '' : n.toLocaleString('en-US');
}

const MARK: Record<AssetProgress['state'], string> = {
  pending: '·',
  running: '▶',
  materialized: '✔',
  skipped: '=',
  failed: '✘',
  blocked: '⊘',
};

function assetLine(a: AssetProgress): string[] {
  const detail =
    a.state === 'failed'
      ? `${a.error?.code}: ${a.error?.message}`
      : a.state === 'blocked'
        ? `blocked by ${a.blockedBy}`
        : a.state === 'skipped'
          ? 'checkpoint current'
          : '';
  return [
    `${MARK[a.state]} ${a.key}`,
    a.state,
    count(a.rowsRead),
    count(a.rowsWritten),
    count(a.rowsQuarantined || undefined),
    count(a.repaired),
    ms(a.durationMs),
    detail,
  ];
}

export function summaryTable(s: RunSummary): string {
  return table(s.assets.map(assetLine), ['asset', 'state', 'read', 'written', 'quarantined', 'repaired', 'time', 'detail']);
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

// ——— partitions, plans and backfills ———

type PartitionStatus = 'materialized' | 'stale' | 'failed' | 'blocked' | 'missing';

const CELL: Record<PartitionStatus, string> = { materialized: '✔', stale: '~', failed: '✘', blocked: '⊘', missing: '·' };
export const PARTITION_LEGEND = Object.entries(CELL)
  .map(([s, c]) => `${c} ${s}`)
  .join('  ');

/**
 * One line per asset and year, one cell per month (blank: no partition in the data), so thousands of partitions
 * stay readable: `domain/sales/orders  2017  ✔ ✔ ✔ ✘ …`.
 */
export function partitionGrid(assets: { key: string; cells: Map<string, PartitionStatus> }[]): string {
  const width = Math.max(5, ...assets.map((a) => a.key.length));
  const lines = [`${''.padEnd(width)}        J F M A M J J A S O N D`];
  for (const a of assets) {
    const years = [...new Set([...a.cells.keys()].map((p) => p.slice(0, 4)))].sort();
    years.forEach((y, i) => {
      const cells = Array.from({ length: 12 }, (_, m) => {
        const s = a.cells.get(`${y}-${String(m + 1).padStart(2, '0')}`);
        return s ? CELL[s] : ' ';
      });
      lines.push(`${(i === 0 ? a.key : '').padEnd(width)}  ${y}  ${cells.join(' ')}`.trimEnd());
    });
  }
  return lines.join('\n');
}

export function tally<T extends string>(states: Iterable<T>): string {
  const n = new Map<T, number>();
  for (const s of states) n.set(s, (n.get(s) ?? 0) + 1);
  return [...n].map(([s, k]) => `${k} ${s}`).join(', ');
}

const RUN_MARK: Record<string, string> = { pending: '·', running: '▶', current: '=', materialized: '✔', failed: '✘', blocked: '⊘' };

/** The final per-partition table of a backfill; current partitions are counted, not listed, past a screenful. */
export function backfillTable(p: BackfillProgress): string {
  const rows = [
    ...(p.upstream.keys.length ? [{ partitionKey: 'upstream', ...p.upstream }] : []),
    ...p.partitions,
    ...(p.downstream.keys.length ? [{ partitionKey: 'downstream', ...p.downstream }] : []),
  ] as (PartitionRun & { keys?: string[] })[];
  const listed = rows.length > 40 ? rows.filter((r) => r.state !== 'current') : rows;
  const body = table(
    listed.map((r) => [`${RUN_MARK[r.state] ?? ''} ${r.partitionKey}`, r.state, r.materialized ?? '', r.skipped ?? '', r.rootCause ?? '']),
    ['partition', 'state', 'materialized', 'current', 'root cause'],
  );
  return rows.length > listed.length ? `${body}\n(${rows.length - listed.length} current partitions not listed)` : body;
}

export function backfillLine(p: BackfillProgress, elapsedS: number): string {
  const n = (s: string) => p.partitions.filter((x) => x.state === s).length;
  const done = p.partitions.filter((x) => !['pending', 'running'].includes(x.state)).length;
  const total = p.partitions.length;
  const toRun = total - n('current');
  const ran = done - n('current');
  const eta = ran > 0 && done < total ? ` · ETA ${Math.ceil((elapsedS / ran) * (total - done))} s` : '';
  return `${p.backfillId} ${p.phase}: ${done}/${total} partitions done (${toRun} to run) · ${n('running')} running · ${n('failed')} failed · ${n('blocked')} blocked · ${elapsedS.toFixed(1)} s${eta}`;
}
