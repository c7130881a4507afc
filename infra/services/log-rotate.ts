// A bounded log for a background process: a small watcher beside it rotates its log (file, file.1 … file.N) while it runs.
import { spawn } from 'node:child_process';

export interface Rotation {
  /** Past this size (checked every `everySeconds`), the file is rotated. */
  maxBytes: number;
  /** Rotated files kept beside it (file.1 is the newest). */
  keep: number;
  everySeconds?: number;
}

/** The background worker's console log: rotated past 10 MB, 3 rotated files kept (about 40 MB at most). */
export const WORKER_LOG_ROTATION: Rotation = { maxBytes: 10 * 1024 * 1024, keep: 3, everySeconds: 5 };

/**
 * `sh -c ROTATE dw-log-rotate FILE PID MAX KEEP EVERY`: while PID lives (a zombie counts as gone), every EVERY seconds,
 * a FILE larger than MAX is copied to FILE.1 (FILE.1 to FILE.2, …, the oldest dropped) and truncated in place. The
 * process writes with O_APPEND, so it goes on at the start of the emptied file; only lines written during the copy
 * can be lost (copytruncate). A shell loop: no memory to speak of beside a long-lived worker.
 */
const ROTATE = `f=$1 p=$2 max=$3 keep=$4 every=$5
alive() { kill -0 "$1" 2>/dev/null || return 1; [ -r /proc/$1/stat ] || return 0; s=$(sed 's/.*) //' /proc/$1/stat) && [ "\${s%% *}" != Z ]; }
rotate() {
  i=$keep; rm -f "$f.$keep"
  while [ "$i" -gt 1 ]; do j=$((i-1)); [ -e "$f.$j" ] && mv -f "$f.$j" "$f.$i"; i=$j; done
  cp "$f" "$f.1" && : > "$f"
}
while :; do
  s=$(stat -c %s "$f" 2>/dev/null || echo 0)
  [ "$s" -gt "$max" ] && rotate
  alive "$p" || exit 0
  sleep "$every"
done`;

/** Starts the watcher of `file` for the process `pid`, detached (its own process group); it ends after the process. */
export function watchLog(file: string, pid: number, rotation: Rotation): number {
  const args = [file, pid, rotation.maxBytes, Math.max(1, rotation.keep), rotation.everySeconds ?? 5].map(String);
  const watcher = spawn('/bin/sh', ['-c', ROTATE, 'dw-log-rotate', ...args], { detached: true, stdio: 'ignore' });
  watcher.unref();
  if (!watcher.pid) throw new Error(`could not start the log rotation of ${file}`);
  return watcher.pid;
}
