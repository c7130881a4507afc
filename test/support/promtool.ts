// Runs Debian's promtool (installed by scripts/setup.sh); a missing promtool fails the test with the fix.
import { spawnSync } from 'node:child_process';

export function promtool(args: string[], cwd?: string): { code: number | null; output: string } {
  const r = spawnSync('promtool', args, { cwd, encoding: 'utf8', timeout: 60_000 });
  if (r.error) throw new Error(`promtool could not run (${r.error.message}): run scripts/setup.sh or apt-get install prometheus`);
  return { code: r.status, output: `${r.stdout}${r.stderr}` };
}
