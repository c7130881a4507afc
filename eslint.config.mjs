// Lint rules that keep the house livable: a pure domain, deterministic workflows, no floating promises, and the
// floors of docs/architecture.md (no folder imports a folder above it).
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

const io = [
  'pg',
  'pg-*',
  'drizzle-orm',
  'drizzle-orm/*',
  'winston',
  'prom-client',
  'csv-parse',
  'csv-parse/*',
  'csv-stringify',
  'csv-stringify/*',
  '@temporalio/*',
  'node:*',
];
/** Node's built-ins as Node lists them (not a hand list), matched by exact name ('fs', 'fs/promises'; node:* above). */
const nodeBuiltins = (message) => builtinModules.map((name) => ({ name, message }));

/** Relative import patterns of a top-level folder or file, from any depth below the root. */
const folder = (name) => ['.', '..', '../..', '../../..', '../../../..'].flatMap((up) => [`${up}/${name}`, `${up}/${name}/**`]);
/** The floors, bottom up: each entry names the folders above it, which it must not import. */
const upward = (folders, message, allowTypeImports = false) => ({ group: folders.flatMap(folder), message, allowTypeImports });
const FLOOR = 'docs/architecture.md: a floor imports only the floors below it.';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.dw/**', '.venv/**', 'dbt/**', 'coverage/**'] },
  {
    files: ['workflows/**/*.ts', 'activities/**/*.ts', 'worker.ts', 'cli.ts'],
    languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
    },
  },
  { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } },
  {
    files: ['domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins('domain/ is pure: no I/O, no Temporal, no clock. Pass values in from activities/.'),
          patterns: [
            { group: io, message: 'domain/ is pure: no I/O, no Temporal, no clock. Pass values in from activities/.' },
            {
              group: ['**/activities/**', '**/infra/**', '**/schema/**', '**/workflows/**', '**/assets/**'],
              message: 'domain/ imports only domain/ (and zod).',
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'domain/ never reads the clock: pass the time in.',
        },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'domain/ never reads the clock: pass the time in.' },
        {
          selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']",
          message: 'domain/ is deterministic: pass ids in.',
        },
      ],
    },
  },
  {
    files: ['workflows/**/*.ts', 'assets/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins('workflows and assets are deterministic: I/O belongs in activities/.'),
          patterns: [
            {
              group: io.filter((p) => p !== '@temporalio/*'),
              message: 'workflows and assets are deterministic: I/O belongs in activities/.',
            },
            {
              group: ['@temporalio/*', '!@temporalio/workflow', '!@temporalio/common'],
              message: 'workflow code imports only @temporalio/workflow (and @temporalio/common).',
            },
            {
              group: ['**/infra/**', '**/infra', '**/activities', '**/activities/**'],
              allowTypeImports: true,
              message: 'workflow code imports activities as types only, and never infra/.',
            },
            upward(['cli', 'worker', 'cli.ts', 'bench', 'generator'], `${FLOOR} workflows/ sit below cli/ and worker.ts.`),
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'use workflow time via Temporal APIs, not Date.now()',
        },
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: 'workflows read no environment: pass values in the input',
        },
      ],
    },
  },
  {
    // assets/ is the floor below workflows/: the same rules, and it never imports a workflow either.
    files: ['assets/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins('workflows and assets are deterministic: I/O belongs in activities/.'),
          paths: nodeBuiltins('workflows and assets are deterministic: I/O belongs in activities/.'),
          patterns: [
            {
              group: io.filter((p) => p !== '@temporalio/*'),
              message: 'workflows and assets are deterministic: I/O belongs in activities/.',
            },
            {
              group: ['@temporalio/*', '!@temporalio/workflow', '!@temporalio/common'],
              message: 'workflow code imports only @temporalio/workflow (and @temporalio/common).',
            },
            {
              group: ['**/infra/**', '**/infra', '**/activities', '**/activities/**'],
              allowTypeImports: true,
              message: 'workflow code imports activities as types only, and never infra/.',
            },
            upward(
              ['workflows', 'cli', 'worker', 'cli.ts', 'bench', 'generator'],
              `${FLOOR} assets/ sits below activities/ and workflows/.`,
            ),
          ],
        },
      ],
    },
  },
  // The ground floor beside domain/: schema/ (contracts and tables) and infra/ (plumbing) import no floor above them.
  {
    files: ['schema/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            upward(
              ['infra', 'assets', 'activities', 'workflows', 'cli', 'worker', 'cli.ts', 'bench', 'generator'],
              `${FLOOR} schema/ is the ground floor (domain/ types only).`,
            ),
          ],
        },
      ],
    },
  },
  {
    files: ['infra/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            upward(
              ['assets', 'activities', 'workflows', 'cli', 'worker', 'cli.ts', 'bench', 'web'],
              `${FLOOR} infra/ is plumbing on the ground floor: never assets, activities, workflows, cli or web.`,
            ),
          ],
        },
      ],
    },
  },
  {
    // web/ reads through infra/ and schema/ (and domain/ types); it never reaches the pipeline or the command line.
    files: ['web/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            upward(
              ['activities', 'workflows', 'cli', 'worker', 'cli.ts', 'bench', 'generator'],
              `${FLOOR} web/ sits beside cli/: infra/, schema/ and domain/ types only.`,
            ),
          ],
        },
      ],
    },
  },
  {
    files: ['activities/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            upward(['workflows', 'cli', 'worker', 'cli.ts', 'bench'], `${FLOOR} activities/ sit below workflows/ and cli/.`, true),
          ],
        },
      ],
    },
  },
);
