/**
 * ESLint (flat config): the recommended JavaScript and typescript-eslint rules
 * for every TypeScript file the project writes. Formatting is Prettier's
 * (.prettierrc.json); import boundaries are dependency-cruiser's
 * (.dependency-cruiser.cjs). `npm run lint` runs all three.
 */
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores(['**/node_modules/', '**/__generated__/', '**/dist/', 'reports/', '.stryker-tmp/', 'bench/hive/', 'mutation/']),
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    rules: {
      // Unused arguments are allowed when named _x (resolver signatures); everything else unused is an error.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // Tests and their support read GraphQL answers as JSON whose shape the assertions themselves check.
    files: ['tests/**', '**/test/**', 'packages/devkit/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
