// The Temporal dev server (CLI from the project's virtualenv), with its history kept in .dw/temporal.db.
import fs from 'node:fs';
import path from 'node:path';
import { EMBEDDED, ROOT, STATE_DIR, loadConfig } from '../config';
import { LOG_DIR, portOpen, readPid, removePid, spawnDetached, stopProcess, waitFor, writePid } from './process';

const LOG_FILE = path.join(LOG_DIR, 'temporal.log');

/** Search attributes every run carries, so the Temporal UI can filter by asset, partition, backfill and cause. */
export const SEARCH_ATTRIBUTES = {
  DwAssetKeys: 'KeywordList',
  DwPartitionKey: 'Keyword',
  DwBackfillId: 'Keyword',
  DwRootCause: 'Keyword',
  DwSelection: 'Keyword',
} as const;

export function temporalCli(): string {
  const configured = loadConfig().temporalCli;
  const candidates = [configured, path.join(ROOT, '.venv', 'bin', 'temporal'), path.join(STATE_DIR, 'bin', 'temporal')];
  for (const c of candidates) if (c && fs.existsSync(c)) return c;
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const c = path.join(dir, 'temporal');
    if (dir && fs.existsSync(c)) return c;
  }
  throw new Error('the Temporal CLI was not found: run `npm run setup` (installs it into .venv), or set TEMPORAL_CLI or TEMPORAL_ADDRESS');
}

export function temporalRunning(): Promise<boolean> {
  return portOpen(EMBEDDED.temporalPort);
}

export async function startTemporal(): Promise<void> {
  if (await temporalRunning()) return;
  const args = [
    'server',
    'start-dev',
    '--db-filename',
    path.join(STATE_DIR, 'temporal.db'),
    '--ip',
    '127.0.0.1',
    '--port',
    String(EMBEDDED.temporalPort),
    '--ui-port',
    String(EMBEDDED.temporalUiPort),
    '--log-level',
    'warn',
    ...Object.entries(SEARCH_ATTRIBUTES).flatMap(([name, type]) => ['--search-attribute', `${name}=${type}`]),
  ];
  const pid = spawnDetached(temporalCli(), args, LOG_FILE);
  writePid('temporal', pid);
  await waitFor('the Temporal dev server', temporalRunning, 60_000, LOG_FILE);
}

export async function stopTemporal(): Promise<void> {
  const pid = readPid('temporal');
  if (pid) await stopProcess(pid);
  removePid('temporal');
}

export const TEMPORAL_LOG = LOG_FILE;
