// The machine the benchmark ran on: cores, memory, CPU model, PostgreSQL and node versions, the code's commit.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { ROOT } from '../infra/config';
import { run } from './util';

export interface Machine {
  nproc: number;
  memTotalKiB: number;
  cpuModel: string;
  kernel: string;
  postgres: string;
  postgresSettings: Record<string, string>;
  psql: string;
  node: string;
  dbt: string;
  commit: string;
  dirtyFiles: number;
  loadAvgAtStart: number[];
  date: string;
}

function cpuModel(): string {
  const info = fs.readFileSync('/proc/cpuinfo', 'utf8');
  return /^model name\s*:\s*(.+)$/m.exec(info)?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown';
}

function memTotalKiB(): number {
  return Number(/^MemTotal:\s+(\d+) kB/m.exec(fs.readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? 0);
}

export async function describeMachine(databaseUrl: string): Promise<Machine> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  let postgres = 'unknown';
  const postgresSettings: Record<string, string> = {};
  try {
    postgres = (await client.query('SELECT version() AS v')).rows[0].v as string;
    const names = [
      'shared_buffers',
      'work_mem',
      'maintenance_work_mem',
      'wal_level',
      'synchronous_commit',
      'max_wal_size',
      'max_parallel_workers_per_gather',
    ];
    const r = await client.query(`SELECT name, setting, unit FROM pg_settings WHERE name = ANY($1)`, [names]);
    for (const row of r.rows) postgresSettings[row.name] = row.unit ? `${row.setting} ${row.unit}` : row.setting;
  } finally {
    await client.end();
  }
  const safe = async (fn: () => Promise<string>) => fn().catch(() => 'unknown');
  const nproc = Number((await safe(() => run('nproc', []))).trim()) || os.availableParallelism();
  const dbtBin = path.join(ROOT, '.venv', 'bin', 'dbt');
  const dbt = await safe(async () => {
    const out = await run(dbtBin, ['--version']);
    const core = /installed:\s*([\d.]+)/.exec(out)?.[1] ?? '?';
    const adapter = /postgres:\s*([\d.]+)/.exec(out)?.[1] ?? '?';
    return `dbt-core ${core}, dbt-postgres ${adapter}`;
  });
  const commit = (await safe(() => run('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD']))).trim();
  const dirty = (await safe(() => run('git', ['-C', ROOT, 'status', '--porcelain', '--untracked-files=no'])))
    .split('\n')
    .filter(Boolean).length;
  return {
    nproc,
    memTotalKiB: memTotalKiB(),
    cpuModel: cpuModel(),
    kernel: `${os.type()} ${os.release()}`,
    postgres,
    postgresSettings,
    psql: (await safe(() => run('/usr/bin/psql', ['--version']))).trim(),
    node: process.version,
    dbt,
    commit,
    dirtyFiles: dirty,
    loadAvgAtStart: os.loadavg(),
    date: new Date().toISOString(),
  };
}
