// Structured logging (winston): JSON lines (human lines on a TTY), the current activity's ids on every line, a bounded file.
import { AsyncLocalStorage } from 'node:async_hooks';
import winston from 'winston';
import { loadConfig } from './config';

/** What every line written during an activity carries (set by the worker's activity interceptor). */
export interface LogContext {
  workflowId: string | undefined;
  runId: string | undefined;
  activityId: string;
  activity: string;
  attempt: number;
  asset?: string;
  partition?: string;
}

const context = new AsyncLocalStorage<Partial<LogContext>>();

/** Runs fn with `fields` on every log line written inside it, across its awaits (the undefined ones left out once, here). */
export function withLogContext<T>(fields: LogContext, fn: () => T): T {
  const defined: Partial<LogContext> = {};
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) (defined as Record<string, unknown>)[k] = v;
  return context.run(defined, fn);
}

/**
 * Fields of a PostgreSQL error that quote row contents: DETAIL (`Key (…)=(…)`, `Failing row contains (…)`), CONTEXT
 * (`COPY order_reviews, line 330: "…"`) and the internal query. No log line carries them (no personal data in any log).
 */
const ROW_FIELDS = ['detail', 'where', 'internalQuery'] as const;

/**
 * Removes the row-quoting fields from an error and its causes, in place (the same object is rethrown, its type and
 * retryability unchanged). Call it once the code that reads them (extract's line number) is done.
 */
export function scrubRowContents<T>(err: T): T {
  const seen = new Set<unknown>();
  for (let e: unknown = err; e !== null && typeof e === 'object' && !seen.has(e); e = (e as { cause?: unknown }).cause) {
    seen.add(e);
    for (const f of ROW_FIELDS) if (f in e) delete (e as Record<string, unknown>)[f];
  }
  return err;
}

/**
 * A tool's error text (dbt prints PostgreSQL's whole error) without its DETAIL, CONTEXT, QUERY and WHERE lines, which
 * quote rows (`Failing row contains (…)`, `Key (…)=(…)`); the message line itself stays.
 */
export function stripRowLines(text: string): string {
  return text
    .split('\n')
    .filter((l) => !/^\s*(DETAIL|CONTEXT|QUERY|WHERE):/.test(l))
    .join('\n');
}

/** A log line without row-quoting fields: at its top level and inside errors passed as its values. */
function scrubInfo(info: Record<string, unknown>): Record<string, unknown> {
  let out = info;
  for (const [k, v] of Object.entries(info)) {
    if ((ROW_FIELDS as readonly string[]).includes(k)) {
      if (out === info) out = { ...info };
      delete out[k];
    } else if (v instanceof Error) scrubRowContents(v);
  }
  return out;
}

const human = winston.format.printf(
  ({ timestamp, level, message, component, ...rest }) =>
    `${String(timestamp)} ${level} [${String(component)}] ${String(message)}${Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : ''}`,
);

let root: winston.Logger | undefined;

function rootLogger(): winston.Logger {
  if (root) return root;
  const created = winston.createLogger({
    level: loadConfig().logLevel,
    format: winston.format.timestamp(),
    transports: [
      new winston.transports.Console({
        stderrLevels: ['error', 'warn', 'info', 'debug'],
        format: process.stderr.isTTY ? winston.format.combine(winston.format.colorize(), human) : winston.format.json(),
      }),
    ],
  });
  // The context is read when the line is written (a format runs later, when transports may have buffered it).
  const write = created.write.bind(created);
  created.write = ((info: Record<string, unknown>) => {
    const c = context.getStore();
    const line = scrubInfo(info);
    return write(c ? { ...c, ...line } : line);
  }) as typeof created.write;
  root = created;
  return created;
}

export function logger(component: string): winston.Logger {
  return rootLogger().child({ component });
}

/** Also writes every line as JSON to `file`, rotated at 10 MB with 5 files kept (file, file1, …): what `dw logs` reads. */
export function logToFile(file: string): void {
  rootLogger().add(
    new winston.transports.File({
      filename: file,
      format: winston.format.json(),
      maxsize: 10 * 1024 * 1024,
      maxFiles: 5,
      tailable: true,
    }),
  );
}
