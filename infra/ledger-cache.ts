// When the worker's metrics read the ledger again: not more than every 30 s while activities run, at once after a run.

export interface LedgerCacheOptions {
  /** While an activity of this worker runs (or nothing changed), a snapshot younger than this is served again (default 30 s). */
  minAgeMs?: number;
  /** Every gauge of one scrape shares one read: a snapshot younger than this is always served again. */
  scrapeMs?: number;
  now?: () => number;
}

/**
 * One ledger snapshot shared by the gauges. It is read again when it is older than `minAgeMs`, or as soon as an
 * activity of this worker finished since it was read and none runs any more (so a scrape after a run shows that
 * run's figures, as `dw status` does). During a run the ledger is thus read at most every `minAgeMs`, whatever the
 * scrape interval; writes by other processes (the CLI, other workers) show within `minAgeMs`.
 */
export class LedgerCache<T> {
  private running = 0;
  private finished = 0;
  private cached: { at: number; finished: number; value: Promise<T> } | undefined;
  /** How many times the ledger was read (tests and the bench look). */
  reads = 0;
  private readonly minAgeMs: number;
  private readonly scrapeMs: number;
  private readonly now: () => number;

  constructor(
    private readonly read: () => Promise<T>,
    opts: LedgerCacheOptions = {},
  ) {
    this.minAgeMs = opts.minAgeMs ?? 30_000;
    this.scrapeMs = opts.scrapeMs ?? 1_000;
    this.now = opts.now ?? Date.now;
  }

  activityStarted(): void {
    this.running++;
  }

  activityFinished(): void {
    this.running = Math.max(0, this.running - 1);
    this.finished++;
  }

  get(): Promise<T> {
    const t = this.now();
    const c = this.cached;
    const age = c ? t - c.at : Infinity;
    const unchanged = c !== undefined && c.finished === this.finished;
    const reuse = age < this.scrapeMs || (age < this.minAgeMs && (unchanged || this.running > 0));
    if (c && reuse) return c.value;
    this.reads++;
    const value = this.read();
    this.cached = { at: t, finished: this.finished, value };
    return value;
  }
}
