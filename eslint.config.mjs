/**
 * ESLint (flat config): the recommended JavaScript and typescript-eslint rules
 * for every TypeScript file the project writes, and React's hooks rules for
 * the storefront. Formatting is Prettier's
 * (.prettierrc.json); import boundaries are dependency-cruiser's
 * (.dependency-cruiser.cjs). `npm run lint` runs all three.
 */
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

export default defineConfig(
  globalIgnores(['**/node_modules/', '**/__generated__/', '**/dist/', 'reports/', '.stryker-tmp/', 'bench/hive/', 'mutation/']),
  {
    files: ['**/*.ts', '**/*.tsx'],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    rules: {
      // Unused arguments are allowed when named _x (resolver signatures); everything else unused is an error.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // The storefront: React's rules of hooks and the React Compiler's checks.
    files: ['examples/storefront/src/**/*.{ts,tsx}'],
    extends: [reactHooks.configs.flat['recommended-latest']],
  },
  {
    // Tests and their support read GraphQL answers as JSON whose shape the assertions themselves check.
    files: ['tests/**', '**/test/**', 'packages/devkit/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
