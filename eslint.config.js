// Lints the TypeScript service, emulators, scripts and tests, and the Lightning Web Components (force-app's and the
// local org's own modules in web/) with Salesforce's LWC rules (@salesforce/eslint-config-lwc, as lwc-recipes do).
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');
const lwc = require('@salesforce/eslint-config-lwc');
const globals = require('globals');

const LWC_FILES = ['force-app/**/lwc/**/*.js', 'force-app/test/**/*.js', 'web/modules/**/*.js'];
const LWC_TESTS = ['force-app/**/__tests__/**/*.js', 'force-app/test/**/*.js'];

module.exports = tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'web/dist/**', '.data/**', 'coverage/**', 'test-artifacts/**', '*.config.js', 'eslint.config.js'] },
  {
    files: ['**/*.ts', 'scripts/**/*.js'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  ...lwc.configs.recommended.map((config) => ({ ...config, files: LWC_FILES })),
  // The local page's entry script is the host page, not a component: it mounts components into the document.
  {
    files: ['web/src/**/*.js'],
    extends: [js.configs.recommended],
    languageOptions: { sourceType: 'module', globals: globals.browser },
  },
  {
    files: LWC_TESTS,
    languageOptions: { globals: { ...globals.node, ...globals.jest } },
  },
);
