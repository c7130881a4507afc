// A source file as the worker reads it: opened once, checked where it really lies, and watched for change while read.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { STATE_DIR, loadConfig } from '../../infra/config';
import { badInput } from '../errors';

/** What identifies one version of a file: a replaced file has another inode, a rewritten one another size or mtime. */
export interface FileIdentity {
  dev: bigint;
  ino: bigint;
  size: bigint;
  mtimeNs: bigint;
}

export interface OpenSource {
  handle: FileHandle;
  identity: FileIdentity;
  size: number;
}

const identityOf = (s: fs.BigIntStats): FileIdentity => ({ dev: s.dev, ino: s.ino, size: s.size, mtimeNs: s.mtimeNs });
const sameIdentity = (a: FileIdentity, b: FileIdentity) =>
  a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs;
const under = (p: string, dir: string) => p === dir || p.startsWith(dir.endsWith(path.sep) ? dir : `${dir}${path.sep}`);

/** The path the open descriptor really reads (links followed by the kernel at open), or the resolved path where /proc is absent. */
function openedPath(fd: number, file: string): string {
  try {
    return fs.realpathSync(`/proc/self/fd/${fd}`);
  } catch {
    return fs.realpathSync(file);
  }
}

/**
 * Opens `file` for reading and refuses it, before a byte is read, when what was opened lies under the project's state
 * folder (.dw: keys, passwords, the cluster) or outside the source roots, whatever links led there. The error names the
 * file only: it never echoes what the file holds.
 */
export async function openSource(file: string, roots: readonly string[] = loadConfig().sourceRoots): Promise<OpenSource> {
  const handle = await fs.promises.open(file, fs.constants.O_RDONLY | fs.constants.O_NOCTTY);
  try {
    const real = openedPath(handle.fd, file);
    const realRoots = roots.flatMap((r) => {
      try {
        return [fs.realpathSync(r)];
      } catch {
        return [];
      }
    });
    const state = fs.existsSync(STATE_DIR) ? fs.realpathSync(STATE_DIR) : STATE_DIR;
    if (under(real, state) || !realRoots.some((r) => under(real, r)))
      throw badInput(
        'SOURCE.OUTSIDE_ROOTS',
        `${file} leads to ${real}, ${under(real, state) ? "inside the project's state folder" : 'outside the allowed source roots'} (${roots.join(', ')}): the worker does not read it; move the export under a source root or add its folder to DW_SOURCE_ROOTS`,
        { file: path.basename(file) },
      );
    const stat = await handle.stat({ bigint: true });
    if (!stat.isFile())
      throw badInput('SOURCE.NOT_A_FILE', `${file} is not a regular file: pass --source DIR with the nine Olist files`, {
        file: path.basename(file),
      });
    return { handle, identity: identityOf(stat), size: Number(stat.size) };
  } catch (err) {
    await handle.close();
    throw err;
  }
}

/**
 * Why the file is no longer the version that was opened, or undefined: the path now names another file (replaced), or
 * the open file's size or modification time moved (rewritten in place), or (when given) fewer or more bytes were read than it held.
 */
export async function changeDuringRead(file: string, src: OpenSource, bytesRead?: number): Promise<string | undefined> {
  const now = identityOf(await src.handle.stat({ bigint: true }));
  if (!sameIdentity(src.identity, now)) return `it was rewritten while read (size ${src.identity.size} → ${now.size} bytes)`;
  let atPath: FileIdentity | undefined;
  try {
    atPath = identityOf(await fs.promises.stat(file, { bigint: true }));
  } catch {
    return 'it was removed or moved while read';
  }
  if (!sameIdentity(src.identity, atPath)) return 'it was replaced by another file while read';
  if (bytesRead !== undefined && bytesRead !== src.size) return `${bytesRead} bytes were read where it holds ${src.size}`;
  return undefined;
}

export function changedDuringRead(file: string, why: string): Error {
  return badInput(
    'SOURCE.CHANGED_DURING_READ',
    `${path.basename(file)} changed during the run: ${why}. Nothing was published from it; run again once the export is complete and no longer written`,
    { file: path.basename(file) },
  );
}

/** sha256 of the file's bytes in one read, refused as the extract refuses it, and failed when the file changes meanwhile. */
export async function hashSource(file: string): Promise<string> {
  const src = await openSource(file);
  try {
    const h = createHash('sha256');
    let bytes = 0;
    for await (const chunk of src.handle.createReadStream({
      highWaterMark: 1 << 20,
      autoClose: false,
      start: 0,
    }) as AsyncIterable<Buffer>) {
      h.update(chunk);
      bytes += chunk.length;
    }
    const why = await changeDuringRead(file, src, bytes);
    if (why) throw changedDuringRead(file, why);
    return h.digest('hex');
  } finally {
    await src.handle.close();
  }
}
