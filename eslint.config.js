// The linter `npm test` runs on src/, test/ and bench/: ESLint's and typescript-eslint's
// recommended rules, and eslint-plugin-regexp's, with every rule about super-linear (ReDoS-prone)
// regular expressions as an error: one such pattern on an upload froze the whole server.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import regexp from 'eslint-plugin-regexp';
import tseslint from 'typescript-eslint';

// The few browser globals of the scripts in src/web/assets (no bundler, no framework).
const browserGlobals = Object.fromEntries(['window', 'document', 'navigator', 'location', 'fetch', 'URL', 'URLSearchParams',
  'console', 'setTimeout', 'clearTimeout', 'requestAnimationFrame', 'matchMedia', 'ResizeObserver', 'Intl', 'uPlot',
  'SimpleWebAuthnBrowser', 'HTMLElement', 'HTMLFormElement', 'HTMLInputElement', 'Event', 'Blob', 'history', 'devicePixelRatio', 'CustomEvent'].map((name) => [name, 'readonly']));

export default defineConfig(
  { ignores: ['dist/', 'node_modules/', 'data/', 'coverage/', 'test-results/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  regexp.configs.recommended,
  {
    rules: {
      'regexp/no-super-linear-backtracking': 'error',
      'regexp/no-super-linear-move': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // Kysely's own advice: migrations see the schema as it was then, not today's types.
    files: ['src/db/migrations/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['src/web/assets/**/*.js'],
    languageOptions: { sourceType: 'script', globals: browserGlobals },
  },
);
