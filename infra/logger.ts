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
    return write(c ? { ...c, ...info } : info);
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
