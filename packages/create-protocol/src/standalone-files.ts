// Package plumbing of a standalone protocol package: what the repository's root provides to
// packages inside it (compiler options, lint, formatting, jest) written out for a package alone.
import { PRETTIER_OPTIONS } from './versions';

/** Compiler options for type checking sources and tests (no output). */
export const STANDALONE_TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    lib: ['ES2022'],
    module: 'commonjs',
    moduleResolution: 'node',
    types: ['node', 'jest'],
    strict: true,
    noImplicitOverride: true,
    noFallthroughCasesInSwitch: true,
    noUnusedLocals: true,
    noUnusedParameters: true,
    esModuleInterop: true,
    forceConsistentCasingInFileNames: true,
    skipLibCheck: true,
    resolveJsonModule: true,
    isolatedModules: true,
    noEmit: true,
  },
  include: ['src', 'test'],
};

/** Compiler options for the published build: src only, into dist with declarations. */
export const STANDALONE_TSCONFIG_BUILD = {
  extends: './tsconfig.json',
  compilerOptions: {
    noEmit: false,
    rootDir: 'src',
    outDir: 'dist',
    types: ['node'],
    declaration: true,
    sourceMap: true,
  },
  include: ['src'],
};

/** Jest configuration: TypeScript tests compiled by ts-jest. */
export const STANDALONE_JEST_CONFIG = `/** Jest: the TypeScript tests under test/, compiled by ts-jest with tsconfig.json. */
module.exports = {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  transform: { '^.+\\\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
};
`;

/** ESLint flat config: typescript-eslint's recommended rules, formatting left to prettier. */
export const STANDALONE_ESLINT_CONFIG = `// Lint rules: typescript-eslint's recommended set; formatting is prettier's job.
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');

module.exports = tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', process: 'readonly', __dirname: 'readonly', console: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
`;

/** Files git and npm should not see. */
export const STANDALONE_GITIGNORE = 'node_modules/\ndist/\ncoverage/\n*.tsbuildinfo\n*.tgz\n';

/** Prettier settings (the repository's). */
export const STANDALONE_PRETTIERRC = JSON.stringify(PRETTIER_OPTIONS, null, 2) + '\n';

/** What prettier leaves alone. */
export const STANDALONE_PRETTIERIGNORE = 'dist/\nnode_modules/\ncoverage/\npackage-lock.json\n';
