// Small process helpers for the local services: pid files, liveness, ports, waiting.
import { spawn, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { STATE_DIR } from '../config';
import { type Rotation, watchLog } from './log-rotate';

export const RUN_DIR = path.join(STATE_DIR, 'run');
export const LOG_DIR = path.join(STATE_DIR, 'logs');

export function ensureDirs(): void {
  fs.mkdirSync(RUN_DIR, { recursive: true });
  fs.mkdirSync(LOG_DIR, { recursive: true });
}

export function readPid(name: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(path.join(RUN_DIR, `${name}.pid`), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

export function readPidTag(name: string): string | undefined {
  try {
    return fs.readFileSync(path.join(RUN_DIR, `${name}.pid`), 'utf8').split('\n')[1];
  } catch {
    return undefined;
  }
}

export function writePid(name: string, pid: number, tag = ''): void {
  fs.writeFileSync(path.join(RUN_DIR, `${name}.pid`), `${pid}\n${tag}\n`);
}

export function removePid(name: string): void {
  fs.rmSync(path.join(RUN_DIR, `${name}.pid`), { force: true });
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts a long-lived process detached from this one, its output appended to a log file; with `rotation`, a watcher
 * (infra/services/log-rotate.ts) keeps the file and its rotated copies bounded while the process runs.
 */
export function spawnDetached(
  cmd: string,
  args: string[],
  logFile: string,
  env: NodeJS.ProcessEnv = process.env,
  rotation?: Rotation,
): number {
  ensureDirs();
  const out = fs.openSync(logFile, 'a');
  const child = spawn(cmd, args, { detached: true, stdio: ['ignore', out, out], env });
  child.unref();
  fs.closeSync(out);
  if (!child.pid) throw new Error(`could not start ${cmd}: see ${logFile}`);
  if (rotation) watchLog(logFile, child.pid, rotation);
  return child.pid;
}

/** Sends SIGTERM to a process group, then SIGKILL if it has not ended within the grace period. */
export async function stopProcess(pid: number, graceMs = 10_000): Promise<void> {
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(-pid, s);
    } catch {
      try {
        process.kill(pid, s);
      } catch {
        /* already gone */
      }
    }
  };
  signal('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(100);
  if (isAlive(pid)) signal('SIGKILL');
}

export function portOpen(port: number, host = '127.0.0.1', timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs: number, logFile?: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return;
    await sleep(200);
  }
  const tail = logFile && fs.existsSync(logFile) ? `\n--- last lines of ${logFile} ---\n${tailFile(logFile, 20)}` : '';
  throw new Error(`${what} did not become ready within ${Math.round(timeoutMs / 1000)} s${tail}`);
}

export function tailFile(file: string, lines: number): string {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .slice(-lines - 1)
    .join('\n');
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Runs a command to completion; throws with its output when it fails. */
export function run(cmd: string, args: string[], opts: SpawnSyncOptions = {}): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  if (r.error) throw new Error(`${cmd} could not run: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status}):\n${r.stdout ?? ''}${r.stderr ?? ''}`);
  return String(r.stdout ?? '');
}
