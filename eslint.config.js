// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const serverImports = {
  group: ['@loket/server', '@loket/server/*', '**/packages/server/**', '**/server/src/**'],
  message: 'The widget and console talk to the server only over the wire: import wire types from @loket/protocol.',
};

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'data/**', 'test-results/**', 'playwright-report/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  // The architecture, enforced: clients never import the server; protocol imports nothing of ours and does no I/O.
  {
    files: ['packages/widget/**/*.{ts,tsx}', 'packages/console/**/*.{ts,tsx}'],
    rules: { 'no-restricted-imports': ['error', { patterns: [serverImports, { group: ['@loket/widget', '@loket/console', '**/packages/widget/**', '**/packages/console/**'], message: 'The widget and console are independent apps.' }] }] },
  },
  {
    files: ['packages/protocol/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@loket/*', '../../*', '**/packages/**'], message: 'protocol imports nothing of ours.' },
            { group: ['node:*', 'fs', 'net', 'http', 'https', 'dns', 'child_process', 'pg', 'better-sqlite3', 'kysely', 'ws'], message: 'protocol does no I/O.' },
          ],
        },
      ],
    },
  },
);
