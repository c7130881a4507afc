// The workflows the worker registers.
export { materializeWorkflow } from './materialize.workflow';
export { backfillWorkflow } from './backfill.workflow';
