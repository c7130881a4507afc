// What every dw command shares: the --json and --source options, printing, a pool or a Temporal client for one
// command, the asset graph loaded once per command, the checks of numeric and month arguments, and exit codes.
import { CommanderError, Option } from 'commander';
import { loadGraph } from '../activities/dbt/manifest';
import { type AssetGraph, SelectionError } from '../assets';
import { debugEnabled, loadConfig } from '../infra/config';
import { type Pool, createPool } from '../infra/db';
import { attachPiiKeys } from '../infra/keys';
import * as services from '../infra/services';
import { UsageError } from './output';
import { connectClient } from './temporal-client';

export const jsonOption = () => new Option('--json', 'machine-readable output');

export const sourceOption = () => new Option('--source <dir>', 'folder with the nine Olist CSV files (default: the shipped sample)');

export function print(data: unknown, asJson: boolean, human: () => string): void {
  process.stdout.write(`${asJson ? JSON.stringify(data, null, 2) : human()}\n`);
}

let graph: Promise<AssetGraph> | undefined;

/** The asset graph with the dbt models (`dbt parse` runs only when the project changed), loaded once per command. */
export function commandGraph(): Promise<AssetGraph> {
  graph ??= loadGraph(loadConfig().databaseUrl);
  return graph;
}

export async function withPool<T>(fn: (pool: Pool) => Promise<T>): Promise<T> {
  const pool = createPool(loadConfig().databaseUrl, 2);
  const stopKeys = await attachPiiKeys(pool, loadConfig().masterKeyFile);
  try {
    return await fn(pool);
  } finally {
    stopKeys();
    await pool.end();
  }
}

/** Runs `fn` with a Temporal client, after starting the services that are not up. */
export async function withClient<T>(fn: (client: Awaited<ReturnType<typeof connectClient>>) => Promise<T>): Promise<T> {
  await services.up();
  const client = await connectClient();
  try {
    return await fn(client);
  } finally {
    await client.connection.close();
  }
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export function month(v: string, name: string): string {
  if (!MONTH.test(v)) throw new UsageError(`${name} '${v}' is not a month YYYY-MM`);
  return v;
}

export function positiveNumber(v: string, name: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${name} must be a positive number, got '${v}'`);
  return n;
}

export function positiveInt(v: string, name: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${name} must be a positive whole number, got '${v}'`);
  return n;
}

/** Whether the command line (process.argv) asks for JSON: `--json` before any `--`. */
export function wantsJson(argv: readonly string[]): boolean {
  const args = argv.slice(2);
  const end = args.indexOf('--');
  return (end < 0 ? args : args.slice(0, end)).includes('--json');
}

/** commander's error codes as ours: `commander.unknownOption` → `USAGE.UNKNOWN_OPTION`. */
const commanderCode = (code: string) =>
  `USAGE.${code
    .replace(/^commander\./, '')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toUpperCase()}`;

/** A usage error for scripts: `{"error": {"code", "message"}}` on stdout (the message stays on stderr too). */
function printJsonError(code: string, message: string): void {
  process.stdout.write(`${JSON.stringify({ error: { code, message } })}\n`);
}

/**
 * A failed command's exit code, after writing its message: 2 for usage errors (with commander's own), 1 for the rest.
 * With --json, a usage error is also printed as a JSON error on stdout.
 */
export function exitCodeOf(err: unknown, argv: readonly string[] = process.argv): number {
  if (err instanceof CommanderError) {
    if (err.exitCode === 0) return 0; // --help, --version
    if (wantsJson(argv)) printJsonError(commanderCode(err.code), err.message.replace(/^error: /, ''));
    return 2;
  }
  if (err instanceof UsageError || err instanceof SelectionError) {
    process.stderr.write(`dw: ${err.message}\n`);
    if (wantsJson(argv)) printJsonError(err.code, err.message);
    return 2;
  }
  process.stderr.write(`dw: ${(err as Error).message}\n`);
  if (debugEnabled()) process.stderr.write(`${(err as Error).stack}\n`);
  return 1;
}
