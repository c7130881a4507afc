// `dw worker`: the worker in the foreground (after starting Postgres and Temporal when they are not up).
import type { Command } from 'commander';
import * as services from '../infra/services';

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('run the worker in the foreground')
    .action(async () => {
      await services.up({ worker: false });
      await (require('../worker') as typeof import('../worker')).main();
    });
}
