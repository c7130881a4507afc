// The source allow-list: a run reads only directories under DW_SOURCE_ROOTS, checked by the CLI and again by the worker.
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../infra/config';
import { CONTRACTS } from '../../schema/contracts/olist';
import { badInput } from '../errors';

/** Why a directory is refused, or undefined when it and each source file in it really lie under one of `roots`. */
export function outsideRoots(dir: string, roots: readonly string[]): string | undefined {
  const real = (p: string) => {
    try {
      return fs.realpathSync(p);
    } catch {
      return undefined;
    }
  };
  const realRoots = roots.map((r) => real(r)).filter((r): r is string => r !== undefined);
  const under = (p: string) => realRoots.some((r) => p === r || p.startsWith(r.endsWith(path.sep) ? r : `${r}${path.sep}`));
  const realDir = real(dir);
  if (realDir === undefined) return undefined; // missing: the existence checks report it
  if (!under(realDir)) return `${dir}${realDir === dir ? '' : ` (${realDir})`} is outside the allowed source roots (${roots.join(', ')})`;
  for (const c of CONTRACTS) {
    const file = real(path.join(realDir, c.file));
    if (file !== undefined && !under(file))
      return `${path.join(dir, c.file)} leads to ${file}, outside the allowed source roots (${roots.join(', ')})`;
  }
  return undefined;
}

/** The worker's check, at the top of the extract activity: a run started by anyone reads only from the allowed roots. */
export function assertSourceAllowed(sourceDir: string, roots: readonly string[] = loadConfig().sourceRoots): void {
  const why = outsideRoots(sourceDir, roots);
  if (why)
    throw badInput('SOURCE.OUTSIDE_ROOTS', `${why}: move the export under one of them or add its folder to DW_SOURCE_ROOTS`, { sourceDir });
}
