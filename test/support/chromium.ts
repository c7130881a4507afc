// Headless Chromium for the data docs tests: Debian's chromium (scripts/setup.sh installs it) driven by playwright-core.
import { execFileSync } from 'node:child_process';
import { type Browser, chromium } from 'playwright-core';

/** Debian's chromium on PATH, or CHROMIUM_PATH; a clear error when neither is there. */
export function chromiumPath(): string {
  const found =
    process.env.CHROMIUM_PATH ??
    (() => {
      try {
        return execFileSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], { encoding: 'utf8' }).trim();
      } catch {
        return '';
      }
    })();
  if (!found) throw new Error("no chromium on PATH: run scripts/setup.sh (it installs Debian's chromium) or set CHROMIUM_PATH");
  return found;
}

/** --no-sandbox: the tests run as root on CI machines, where Chromium's sandbox refuses to start. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: ['--no-sandbox'] });
}
