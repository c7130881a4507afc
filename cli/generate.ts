// `dw generate`: synthetic Olist files (all nine, original format) at any scale, with injected faults on request.
import path from 'node:path';
import type { Command } from 'commander';
import { jsonOption, positiveNumber, print } from './command';
import { count, ms, table } from './output';

export function registerGenerate(program: Command): void {
  program
    .command('generate')
    .description('write synthetic Olist files (all nine, original format) at any scale; scale 1 = the full data set')
    .requiredOption('--out <dir>', 'folder to write the files into')
    .option('--scale <f>', 'size relative to the full data set (99,441 orders at 1)', (v) => positiveNumber(v, '--scale'), 1)
    .option('--seed <s>', 'same seed, same bytes', '42')
    .option('--faults <rate>', 'inject known bad rows at this rate per order, with a manifest', (v) => positiveNumber(v, '--faults'))
    .addOption(jsonOption())
    .action(async (opts) => {
      const { generate } = await import('../generator');
      const started = Date.now();
      const tty = process.stderr.isTTY && !opts.json;
      const report = await generate({
        scale: opts.scale,
        seed: opts.seed,
        outDir: path.resolve(opts.out),
        faults: opts.faults,
        onProgress: (done, total) => {
          if (!tty) return;
          const elapsed = (Date.now() - started) / 1000;
          const eta = done > 0 ? Math.max(0, (elapsed / done) * (total - done)) : 0;
          process.stderr.write(`\r${count(done)} / ${count(total)} rows · ${elapsed.toFixed(1)} s · ETA ${eta.toFixed(0)} s   `);
        },
      });
      if (tty) process.stderr.write('\n');
      print(
        report,
        opts.json,
        () =>
          `${table(
            Object.values(report.files).map((f) => [f.file, count(f.rows)]),
            ['file', 'rows'],
          )}\n${count(report.totalRows)} rows in ${ms(report.elapsedMs)} → ${report.outDir}${report.faults.injected ? ` (${report.faults.injected} faults, see fault-manifest.json)` : ''}`,
      );
    });
}
