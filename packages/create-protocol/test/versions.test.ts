// What standalone packages depend on must match what the repository builds and tests with.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TOOLCHAIN_VERSIONS, loadTemplate } from '../src';

const repoRoot = path.resolve(__dirname, '../../..');
const readJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8'));

describe('versions used by generated packages', () => {
  it('the toolchain is the repository root toolchain', () => {
    const root = readJson(path.join(repoRoot, 'package.json'));
    for (const [name, range] of Object.entries(TOOLCHAIN_VERSIONS)) {
      expect({ name, range: root.devDependencies[name] }).toEqual({ name, range });
    }
  });

  it('the @wirebeat ranges of the template accept the packages of this repository', () => {
    const { pkg } = loadTemplate();
    const wanted = { ...pkg.dependencies, ...pkg.devDependencies };
    const names = Object.keys(wanted).filter((name) => name.startsWith('@wirebeat/'));
    expect(names.sort()).toEqual([
      '@wirebeat/applayer',
      '@wirebeat/streambuf',
      '@wirebeat/tcp-reassembly',
      '@wirebeat/testing',
    ]);
    for (const name of names) {
      const version = readJson(
        path.join(repoRoot, 'packages', name.slice('@wirebeat/'.length), 'package.json'),
      ).version;
      expect({ name, range: wanted[name] }).toEqual({ name, range: `^${version}` });
    }
  });
});
