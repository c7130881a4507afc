// `dw logs RUN_ID`: the worker's log lines of one run (by Temporal run id or workflow id), from the JSON logs under .dw/logs.
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import type { Command } from 'commander';
import { LOG_DIR } from '../infra/services/process';

export interface LogLine {
  timestamp: string;
  level: string;
  message: string;
  [field: string]: unknown;
}

/** Every line of the activity logs (rotated files included) whose runId or workflowId is `id`, oldest first. */
export async function runLogLines(id: string, dir = LOG_DIR): Promise<LogLine[]> {
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.jsonl')) : [];
  const lines: LogLine[] = [];
  for (const f of files) {
    for await (const text of readline.createInterface({ input: fs.createReadStream(path.join(dir, f)), crlfDelay: Infinity })) {
      if (!text.includes(id)) continue;
      try {
        const line = JSON.parse(text) as LogLine;
        if (line.runId === id || line.workflowId === id) lines.push(line);
      } catch {
        /* a line cut by a crash mid-write */
      }
    }
  }
  return lines.sort((a, b) => a.timestamp.localeCompare(b.timestamp));
}

function human(l: LogLine): string {
  const where = l.asset ? `${String(l.asset)}${l.partition ? `@${String(l.partition)}` : ''}` : String(l.activity ?? l.component ?? '');
  const attempt = typeof l.attempt === 'number' && l.attempt > 1 ? ` (attempt ${l.attempt})` : '';
  return `${l.timestamp} ${l.level.padEnd(5)} ${where}${attempt}: ${l.message}`;
}

export function registerLogs(program: Command): void {
  program
    .command('logs <run>')
    .description("the worker's log lines of a run (Temporal run id or workflow id), with asset, partition and attempt")
    .option('--json', 'one JSON object per line, as logged')
    .action(async (run: string, opts: { json?: boolean }) => {
      const lines = await runLogLines(run);
      if (lines.length === 0) {
        process.stderr.write(`dw: no log lines for run '${run}' in ${LOG_DIR}/*.jsonl (logs of workers on this machine only)\n`);
        process.exitCode = 1;
        return;
      }
      process.stdout.write(`${lines.map((l) => (opts.json ? JSON.stringify(l) : human(l))).join('\n')}\n`);
    });
}
