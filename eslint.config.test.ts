// The house rules are enforced: ESLint rejects I/O in domain/, non-workflow imports in workflows/ and assets/, and any
// import of a floor above (docs/architecture.md).
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { ROOT } from './infra/config';

// Files linted with type information (workflows/, activities/) must be in the TypeScript project, which the text
// linted here is not: the import rules need no types, so the type-aware parser and its one rule are off for it.
const eslint = new ESLint({
  cwd: ROOT,
  overrideConfig: [
    {
      files: ['**/*.ts'],
      languageOptions: { parserOptions: { projectService: false } },
      rules: { '@typescript-eslint/no-floating-promises': 'off' },
    },
  ],
});

async function errors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${ROOT}/${file}` });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('lint rules', () => {
  it('when domain/ imports pg, fs or Temporal, then lint fails', async () => {
    for (const mod of ['pg', 'node:fs', '@temporalio/activity', 'drizzle-orm', '../../infra/db']) {
      expect((await errors('domain/sales/forbidden.ts', `import x from '${mod}';\nexport const y = x;\n`)).join('\n'), mod).toContain(
        'no-restricted-imports',
      );
    }
  });

  it('when domain/ reads the clock or randomness, then lint fails', async () => {
    expect((await errors('domain/sales/clock.ts', 'export const t = Date.now();\n')).join('\n')).toContain('never reads the clock');
    expect((await errors('domain/sales/random.ts', 'export const r = Math.random();\n')).join('\n')).toContain('deterministic');
  });

  it('when assets/ imports I/O or infra, then lint fails; a type import of activities is allowed', async () => {
    expect((await errors('assets/forbidden.ts', "import pg from 'pg';\nexport const p = pg;\n")).join('\n')).toContain(
      'no-restricted-imports',
    );
    expect(
      (await errors('assets/forbidden.ts', "import { loadConfig } from '../infra/config';\nexport const c = loadConfig;\n")).join('\n'),
    ).toContain('no-restricted-imports');
    expect(
      (await errors('assets/forbidden.ts', "import { Client } from '@temporalio/client';\nexport const c = Client;\n")).join('\n'),
    ).toContain('no-restricted-imports');
    expect(await errors('assets/allowed.ts', "import type { Activities } from '../activities';\nexport type A = Activities;\n")).toEqual(
      [],
    );
  });

  it('when domain/ imports only domain/ and zod, then lint passes', async () => {
    expect(
      await errors(
        'domain/sales/fine.ts',
        "import { z } from 'zod';\nimport { ok } from '../shared/result.type';\nexport const s = z.string();\nexport const r = ok(1);\n",
      ),
    ).toEqual([]);
  });

  it("when workflows/ import a Node built-in (any of Node's own list, with or without node:), then lint fails", async () => {
    for (const mod of ['fs', 'node:fs', 'fs/promises', 'child_process', 'timers', 'perf_hooks', 'async_hooks']) {
      expect((await errors('workflows/forbidden.ts', `import x from '${mod}';\nexport const y = x;\n`)).join('\n'), mod).toContain(
        'deterministic',
      );
    }
  });

  // Fixtures that import one floor up, each in the folder it would live in: every one is an error naming the floors.
  const upwardImports: [file: string, code: string][] = [
    ['schema/upward.ts', "import { createPool } from '../infra/db';\nexport const p = createPool;\n"],
    ['infra/upward.ts', "import { select } from '../assets';\nexport const s = select;\n"],
    [
      'infra/services/upward.ts',
      "import { materializeAsset } from '../../activities/materialize-asset';\nexport const m = materializeAsset;\n",
    ],
    ['infra/upward.ts', "import { FAILURE_TYPE } from '../workflows/definitions';\nexport const f = FAILURE_TYPE;\n"],
    ['assets/upward.ts', "import { progressQuery } from '../workflows/definitions';\nexport const q = progressQuery;\n"],
    ['activities/upward.ts', "import { table } from '../cli/output';\nexport const t = table;\n"],
    [
      'activities/ledger/upward.ts',
      "import { materializeWorkflow } from '../../workflows/materialize.workflow';\nexport const w = materializeWorkflow;\n",
    ],
    ['workflows/upward.ts', "import { temporalUi } from '../cli/temporal-client';\nexport const u = temporalUi;\n"],
    ['workflows/upward.ts', "import { main } from '../worker';\nexport const m = main;\n"],
  ];
  for (const [file, code] of upwardImports) {
    it(`when ${file} imports ${code.split("'")[1]} (a floor above), then lint fails`, async () => {
      const found = (await errors(file, code)).join('\n');
      expect(found).toContain('no-restricted-imports');
      expect(found).toMatch(/docs\/architecture\.md|never infra|activities as types only/);
    });
  }

  it('when a floor imports the floors below it, then lint passes', async () => {
    expect(
      await errors(
        'activities/fine.ts',
        "import { select } from '../assets';\nimport { loadConfig } from '../infra/config';\nexport const a = [select, loadConfig];\n",
      ),
    ).toEqual([]);
    expect(
      await errors(
        'cli/fine.ts',
        "import { materializeAsset } from '../activities/materialize-asset';\nimport { FAILURE_TYPE } from '../workflows/definitions';\nexport const a = [materializeAsset, FAILURE_TYPE];\n",
      ),
    ).toEqual([]);
    expect(
      await errors(
        'activities/fine-types.ts',
        "import type { RunSummary } from '../workflows/definitions';\nexport type S = RunSummary;\n",
      ),
    ).toEqual([]);
  });
});
