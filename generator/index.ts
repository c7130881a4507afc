// Synthetic Olist generator: the nine source files at any scale, deterministic per seed, with optional injected faults.
export { generate, MANIFEST_FILE, NOTICE_FILE, type GenerateOptions, type GenerateReport, type GeneratedFile } from './generate';
export { FAULT_KINDS, FAULT_RULES, faultCount, type FaultEntry, type FaultKind } from './faults';
export { FILES, FILE_KEYS, type FileKey } from './files';
export { FULL, MONEY, STATUS_COUNTS } from './figures';
export { SHIPPED_REFERENCE_DIR } from './reference';
