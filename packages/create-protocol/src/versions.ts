// Versions of the tools a standalone protocol package is built, linted and tested with. They match
// the wirebeat repository's root package.json (a test checks it) so a generated package uses the
// toolchain the template was tested with.

/** devDependencies of a standalone package, besides the @wirebeat test helpers. */
export const TOOLCHAIN_VERSIONS: Readonly<Record<string, string>> = {
  '@eslint/js': '^9.39.5',
  '@types/jest': '^30.0.0',
  '@types/node': '^20.19.43',
  eslint: '^9.39.5',
  'fast-check': '^4.11.0',
  jest: '^30.5.2',
  prettier: '^3.10.1',
  'ts-jest': '29.4',
  typescript: '^5.9.3',
  'typescript-eslint': '^8.74.0',
};

/** Prettier settings of the repository, written into standalone packages and used to format output. */
export const PRETTIER_OPTIONS = { printWidth: 110, singleQuote: true, trailingComma: 'all' } as const;
