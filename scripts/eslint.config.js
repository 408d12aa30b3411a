// ESLint for `npm run lint` (part of `npm test`): typescript-eslint's type-aware rules that catch
// real faults (floating and misused promises, awaiting non-promises, needless assertions), and
// @stylistic's rules as the formatter for the house style (2 spaces, single quotes, semicolons,
// trailing commas in multi-line lists; long lines are allowed). `npm run lint -- --fix` applies it.
import tseslint from 'typescript-eslint';
import stylistic from '@stylistic/eslint-plugin';
import reactHooks from 'eslint-plugin-react-hooks';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export default tseslint.config(
  { ignores: ['lib/db/generated/**', 'models/fused/assembly/**', 'models/fused/build/**', '.next/**', 'node_modules/**', 'test-results/**', '**/*.mjs', '**/*.cjs', '**/*.js'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: root },
    },
    plugins: { '@typescript-eslint': tseslint.plugin, '@stylistic': stylistic, 'react-hooks': reactHooks },
    rules: {
      // node:test's test() returns a promise the runner awaits.
      '@typescript-eslint/no-floating-promises': ['error', { allowForKnownSafeCalls: [{ from: 'package', name: ['test', 'describe', 'it', 'before', 'after'], package: 'node:test' }] }],
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
      // Off: with noUncheckedIndexedAccess, 'x as number' where the receiver takes number | undefined is
      // flagged ~100 times; tsc checks the types, and the assertions say what the code expects.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@stylistic/indent': ['error', 2, { SwitchCase: 1, ignoredNodes: ['JSXElement *', 'JSXElement', 'TemplateLiteral *'] }],
      '@stylistic/quotes': ['error', 'single', { avoidEscape: true, allowTemplateLiterals: 'always' }],
      '@stylistic/semi': ['error', 'always'],
      '@stylistic/comma-dangle': ['error', 'always-multiline'],
      '@stylistic/eol-last': ['error', 'always'],
      '@stylistic/no-trailing-spaces': 'error',
      '@stylistic/object-curly-spacing': ['error', 'always'],
    },
  },
);
