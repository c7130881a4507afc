// The --source option: checked before any run starts (exit 2 with what is wrong), and fingerprinted by content.
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../infra/config';
import { UsageError } from './output';
import { sha256File, sha256Text } from '../infra/hash';
import { CONTRACTS } from '../schema/contracts/olist';
import { outsideRoots } from '../activities/shared/source-roots';

export interface Source {
  /** The real path of the source directory. */
  dir: string;
  /** sha256 over the directory and the nine files' bytes: two commands read the same input when it is equal. */
  fingerprint: string;
}

/** The source directory of `--source` (default: DW_SOURCE_DIR or the shipped sample), checked and fingerprinted. */
export async function resolveSource(option: string | undefined): Promise<Source> {
  const dir = sourceDir(option);
  const hashes = await Promise.all(CONTRACTS.map(async (c) => `${c.file}=${await sha256File(path.join(dir, c.file))}`));
  return { dir, fingerprint: sha256Text(dir, ...hashes) };
}

/** The checked real path of `--source` (default: DW_SOURCE_DIR or the shipped sample), without the fingerprint. */
export function sourceDir(option: string | undefined): string {
  return checkSourceDir(path.resolve(option ?? loadConfig().sourceDir));
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
    throw new UsageError(
      `--source ${dir} is a file, not a directory: pass the folder that holds the nine Olist CSV files`,
      'SOURCE.NOT_A_DIRECTORY',
    );
  }
  const outside = outsideRoots(real, loadConfig().sourceRoots);
  if (outside)
    throw new UsageError(
      `--source ${outside}: move the export under one of them or add its folder to DW_SOURCE_ROOTS`,
      'SOURCE.OUTSIDE_ROOTS',
    );
  const missing = CONTRACTS.map((c) => c.file).filter((f) => !fs.existsSync(path.join(real, f)));
  if (missing.length) {
    throw new UsageError(`--source ${dir} lacks ${missing.length} of the nine Olist files: ${missing.join(', ')}`, 'SOURCE.FILES_MISSING');
  }
  return real;
}

/** Each source file's sha256 by name (the audit log records what a command read); a missing file is null. */
export async function sourceFileHashes(dir: string): Promise<Record<string, string | null>> {
  const entries = await Promise.all(
    CONTRACTS.map(async (c) => {
      const file = path.join(dir, c.file);
      return [c.file, fs.existsSync(file) ? await sha256File(file) : null] as const;
    }),
  );
  return Object.fromEntries(entries);
}
