// Lint: typescript-eslint's strict rules, plus the architecture: src/core stays pure, and the
// floors that run without VS Code (host, cli, the language server's process) never import it.
// Import direction and cycles: scripts/check-architecture.mjs.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const IMPURE = [
  'vscode',
  'execa',
  'fs',
  'node:fs',
  'fs/promises',
  'node:fs/promises',
  'child_process',
  'node:child_process',
  'os',
  'node:os',
  'net',
  'node:net',
  'http',
  'node:http',
  'https',
  'node:https',
];

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'test/fixtures/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      'no-control-regex': 'off', // parsers match NUL and ANSI escapes on purpose
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='concat'][callee.object.property.name='subscriptions']",
          message: 'subscriptions.concat registers nothing: push the disposables.',
        },
      ],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: IMPURE.map((name) => ({
            name,
            message: 'src/core is pure: no VS Code, processes, file system or network. Put adapters in src/host.',
          })),
        },
      ],
      'no-restricted-globals': ['error', { name: 'process', message: 'src/core is pure: pass what you need in.' }],
    },
  },
  {
    files: ['src/host/**/*.ts', 'src/cli/**/*.ts', 'src/language/server.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'vscode',
              message: 'This code runs without VS Code (the CLI, tests, the language server process): keep vscode in the feature folders.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/webview-ui/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['vscode', 'node:*', 'execa', '../host/*', '../shared/*', '../*.ts'],
              message: 'Webview code runs in the browser: only core and the protocol.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['scripts/**/*.mjs'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        Buffer: 'readonly',
        fetch: 'readonly',
        AbortController: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
      },
    },
  },
);
