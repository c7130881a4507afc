// Lint rules that keep the house livable: a pure domain, deterministic workflows, no floating promises.
import tseslint from 'typescript-eslint';

const io = ['pg', 'pg-*', 'drizzle-orm', 'drizzle-orm/*', 'winston', 'prom-client', 'csv-parse', 'csv-parse/*', 'csv-stringify', 'csv-stringify/*', '@temporalio/*', 'node:*',
  'fs', 'fs/*', 'path', 'child_process', 'net', 'http', 'https', 'os', 'crypto', 'stream', 'stream/*', 'util', 'worker_threads', 'dns', 'zlib'];

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
      'no-restricted-imports': ['error', {
        patterns: [
          { group: io, message: 'domain/ is pure: no I/O, no Temporal, no clock. Pass values in from activities/.' },
          { group: ['**/activities/**', '**/infra/**', '**/schema/**', '**/workflows/**', '**/assets/**'], message: 'domain/ imports only domain/ (and zod).' },
        ],
      }],
      'no-restricted-syntax': ['error',
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'domain/ never reads the clock: pass the time in.' },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'domain/ never reads the clock: pass the time in.' },
        { selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']", message: 'domain/ is deterministic: pass ids in.' },
      ],
    },
  },
  {
    files: ['workflows/**/*.ts', 'assets/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: io.filter((p) => p !== '@temporalio/*'), message: 'workflows and assets are deterministic: I/O belongs in activities/.' },
          { group: ['@temporalio/*', '!@temporalio/workflow', '!@temporalio/common'], message: 'workflow code imports only @temporalio/workflow (and @temporalio/common).' },
          { group: ['**/infra/**', '**/infra', '**/activities', '**/activities/**'], allowTypeImports: true, message: 'workflow code imports activities as types only, and never infra/.' },
        ],
      }],
      'no-restricted-syntax': ['error',
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'use workflow time via Temporal APIs, not Date.now()' },
        { selector: "MemberExpression[object.name='process'][property.name='env']", message: 'workflows read no environment: pass values in the input' },
      ],
    },
  },
);
