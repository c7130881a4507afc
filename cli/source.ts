// The --source option: checked before any run starts (exit 2 with what is wrong), and fingerprinted by content.
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../infra/config';
import { UsageError } from '../infra/cli-output';
import { sha256File, sha256Text } from '../infra/hash';
import { CONTRACTS } from '../schema/contracts/olist';

export interface Source {
  /** The real path of the source directory. */
  dir: string;
  /** sha256 over the directory and the nine files' bytes: two commands read the same input when it is equal. */
  fingerprint: string;
}

/** The source directory of `--source` (default: DW_SOURCE_DIR or the shipped sample), checked and fingerprinted. */
export async function resolveSource(option: string | undefined): Promise<Source> {
  const dir = checkSourceDir(path.resolve(option ?? loadConfig().sourceDir));
  const hashes = await Promise.all(CONTRACTS.map(async (c) => `${c.file}=${await sha256File(path.join(dir, c.file))}`));
  return { dir, fingerprint: sha256Text(dir, ...hashes) };
}

/** The real path of a source directory that holds the nine files; else a usage error naming what is wrong. */
export function checkSourceDir(dir: string): string {
  let real: string;
  try {
    real = fs.realpathSync(dir);
  } catch {
    throw new UsageError(`--source ${dir} does not exist: pass the folder that holds the nine Olist CSV files`, 'SOURCE.NOT_FOUND');
  }
  if (!fs.statSync(real).isDirectory()) {
    throw new UsageError(`--source ${dir} is a file, not a directory: pass the folder that holds the nine Olist CSV files`, 'SOURCE.NOT_A_DIRECTORY');
  }
  const missing = CONTRACTS.map((c) => c.file).filter((f) => !fs.existsSync(path.join(real, f)));
  if (missing.length) {
    throw new UsageError(`--source ${dir} lacks ${missing.length} of the nine Olist files: ${missing.join(', ')}`, 'SOURCE.FILES_MISSING');
  }
  return real;
}
