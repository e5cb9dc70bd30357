// Edits to existing files: they add what is missing and keep the rest of the file as it was.
import { addDependencies, addTsconfigReference, registerProtocolInEntry } from '../src';

describe('addTsconfigReference', () => {
  it('appends to a one-entry-per-line list keeping its indentation', () => {
    const text =
      '{\n  "files": [],\n  "references": [\n    { "path": "packages/a" },\n    { "path": "packages/b" }\n  ]\n}\n';
    expect(addTsconfigReference(text, 'packages/c')).toBe(
      '{\n  "files": [],\n  "references": [\n    { "path": "packages/a" },\n    { "path": "packages/b" },\n    { "path": "packages/c" }\n  ]\n}\n',
    );
  });

  it('appends inline to a one-line list, and creates the list when missing', () => {
    expect(addTsconfigReference('{ "references": [{ "path": "../a" }] }', '../b')).toBe(
      '{ "references": [{ "path": "../a" }, { "path": "../b" }] }',
    );
    expect(JSON.parse(addTsconfigReference('{ "files": [] }', 'x')!).references).toEqual([{ path: 'x' }]);
  });

  it('changes nothing when the reference is already there', () => {
    expect(addTsconfigReference('{ "references": [{ "path": "packages/a" }] }', 'packages/a')).toBeNull();
  });
});

describe('registerProtocolInEntry', () => {
  const entry = [
    "import { runBeat } from '@wirebeat/beat-runner';",
    "import { echoProtocol } from '@wirebeat/protocol-echo';",
    '',
    "void runBeat({ name: 'pb', version: '1', protocols: [echoProtocol] });",
    '',
  ].join('\n');

  it('imports the module after the last import and adds it to the protocols list', () => {
    const out = registerProtocolInEntry(entry, 'pingProtocol', './protocols/ping')!;
    expect(out).toContain(
      "import { echoProtocol } from '@wirebeat/protocol-echo';\nimport { pingProtocol } from './protocols/ping';\n",
    );
    expect(out).toContain('protocols: [echoProtocol, pingProtocol]');
  });

  it('handles an empty list and a multi-line list with a trailing comma', () => {
    expect(registerProtocolInEntry('runBeat({ protocols: [] });\n', 'p', './p')).toBe(
      "import { p } from './p';\nrunBeat({ protocols: [p] });\n",
    );
    expect(registerProtocolInEntry('runBeat({ protocols: [\n  a,\n] });\n', 'p', './p')).toContain(
      '[\n  a, p\n]',
    );
  });

  it('returns null when there is no protocols list to add to', () => {
    expect(registerProtocolInEntry("import x from 'y';\nx();\n", 'p', './p')).toBeNull();
  });
});

describe('addDependencies', () => {
  it('adds missing dependencies sorted, keeps existing ranges, and reports no change as null', () => {
    const pkg = JSON.stringify({
      name: 'b',
      dependencies: { zod: '^4.0.0', '@wirebeat/beat-runner': '^0.1.0' },
    });
    const out = JSON.parse(
      addDependencies(
        pkg,
        { zod: '^4.6.7', '@wirebeat/applayer': '^0.1.0' },
        { '@wirebeat/testing': '^0.1.0' },
      )!,
    );
    expect(out.dependencies).toEqual({
      '@wirebeat/applayer': '^0.1.0',
      '@wirebeat/beat-runner': '^0.1.0',
      zod: '^4.0.0',
    });
    expect(Object.keys(out.dependencies)).toEqual(['@wirebeat/applayer', '@wirebeat/beat-runner', 'zod']);
    expect(out.devDependencies).toEqual({ '@wirebeat/testing': '^0.1.0' });
    expect(addDependencies(JSON.stringify(out), { zod: '^4' }, { '@wirebeat/testing': '^0.1.0' })).toBeNull();
  });
});
