// The house rules are enforced: ESLint rejects I/O in domain/ and non-workflow imports in workflows/ and assets/.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../infra/config';

const eslint = new ESLint({ cwd: ROOT });

async function errors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${ROOT}/${file}` });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('lint rules', () => {
  it('when domain/ imports pg, fs or Temporal, then lint fails', async () => {
    for (const mod of ['pg', 'node:fs', '@temporalio/activity', 'drizzle-orm', '../../infra/db']) {
      expect((await errors('domain/sales/forbidden.ts', `import x from '${mod}';\nexport const y = x;\n`)).join('\n'), mod).toContain('no-restricted-imports');
    }
  });

  it('when domain/ reads the clock or randomness, then lint fails', async () => {
    expect((await errors('domain/sales/clock.ts', 'export const t = Date.now();\n')).join('\n')).toContain('never reads the clock');
    expect((await errors('domain/sales/random.ts', 'export const r = Math.random();\n')).join('\n')).toContain('deterministic');
  });

  it('when assets/ imports I/O or infra, then lint fails; a type import of activities is allowed', async () => {
    expect((await errors('assets/forbidden.ts', "import pg from 'pg';\nexport const p = pg;\n")).join('\n')).toContain('no-restricted-imports');
    expect((await errors('assets/forbidden.ts', "import { loadConfig } from '../infra/config';\nexport const c = loadConfig;\n")).join('\n')).toContain('no-restricted-imports');
    expect((await errors('assets/forbidden.ts', "import { Client } from '@temporalio/client';\nexport const c = Client;\n")).join('\n')).toContain('no-restricted-imports');
    expect(await errors('assets/allowed.ts', "import type { Activities } from '../activities';\nexport type A = Activities;\n")).toEqual([]);
  });

  it('when domain/ imports only domain/ and zod, then lint passes', async () => {
    expect(await errors('domain/sales/fine.ts', "import { z } from 'zod';\nimport { ok } from '../shared/result.type';\nexport const s = z.string();\nexport const r = ok(1);\n")).toEqual([]);
  });
});
