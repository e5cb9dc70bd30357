// Mode detection from where the generator runs.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { detectSite } from '../src';

const repoRoot = path.resolve(__dirname, '../../..');

describe('detectSite', () => {
  it('finds the wirebeat repository from its root and from inside a package', () => {
    expect(detectSite(repoRoot)).toEqual({ mode: 'monorepo', root: repoRoot });
    expect(detectSite(path.join(repoRoot, 'packages', 'applayer', 'src'))).toEqual({
      mode: 'monorepo',
      root: repoRoot,
    });
  });

  it('finds a beat: the nearest package.json depends on @wirebeat/beat-runner', () => {
    const site = detectSite(path.join(repoRoot, 'examples', 'pb_echo', 'src'));
    expect(site).toMatchObject({ mode: 'beat', root: path.join(repoRoot, 'examples', 'pb_echo') });
  });

  it('falls back to a standalone package anywhere else', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'create-protocol-detect-'));
    try {
      fs.writeFileSync(
        path.join(dir, 'package.json'),
        JSON.stringify({ name: 'unrelated', dependencies: { zod: '^4' } }),
      );
      expect(detectSite(dir)).toEqual({ mode: 'standalone', dir });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
