#!/usr/bin/env node
// dw: the command line of the platform; each command group is a module under cli/.
import { Command } from 'commander';
import { registerAssets } from './cli/assets';
import { auditFailure, registerAudit } from './cli/audit';
import { registerBackfill } from './cli/backfill';
import { exitCodeOf } from './cli/command';
import { registerGenerate } from './cli/generate';
import { registerKeys } from './cli/keys';
import { registerLgpd } from './cli/lgpd';
import { registerLogs } from './cli/logs';
import { registerMaterialize } from './cli/materialize';
import { registerPartitions } from './cli/partitions';
import { registerQuality } from './cli/quality';
import { registerQuarantine } from './cli/quarantine';
import { registerRepairs } from './cli/repairs';
import { registerReplay } from './cli/replay';
import { registerRollback } from './cli/rollback';
import { registerSchedule } from './cli/schedule';
import { registerServices } from './cli/services';
import { registerSla } from './cli/sla';
import { registerWeb } from './cli/web';
import { registerWorker } from './cli/worker';

const program = new Command('dw')
  .description('Asset orchestration for the Olist marketplace warehouse, on Temporal and PostgreSQL')
  .showHelpAfterError()
  .exitOverride();

registerAudit(program); // audit list|verify; an audit event at the start and end of every command that changes something
registerServices(program); // up, down, status
registerRollback(program);
registerAssets(program);
registerMaterialize(program);
registerPartitions(program);
registerBackfill(program); // backfill, backfill status|cancel
registerSchedule(program);
registerReplay(registerQuarantine(program)); // quarantine summary|list|replay
registerGenerate(program);
registerWorker(program);
registerLogs(program);
registerSla(program);
registerRepairs(program);
registerQuality(program); // quality (scores), history, failures, docs
registerKeys(program); // keys list|rotate: the keys that seal personal data
registerLgpd(program); // lgpd export|erase: LGPD requests, audited under the person's keyed hash
registerWeb(program); // token issue, serve: the web app and its API

export async function main(argv = process.argv): Promise<number> {
  try {
    await program.parseAsync(argv);
    return Number(process.exitCode ?? 0);
  } catch (err) {
    await auditFailure(err); // the end event of an audited command that threw: refused (exit 2) or failed
    return exitCodeOf(err, argv);
  }
}

if (require.main === module) {
  void main().then((code) => process.exit(code));
}
