// Executes docs/tutorial.md step by step in a copy of the repository: its `sh` blocks are run in
// order (tracking `cd`), its `file=...` blocks are written where they say, and what the steps
// print is checked, ending with the echo2 events counted in Elasticsearch. Two commands are done
// by their equivalent here: `npm install` (linking the new workspace package into the copy's
// node_modules, which are links to the real ones) and `npm run es:start` (scripts/es.js start(),
// which the npm script runs, on $ES_PORT; nothing is started when $ELASTICSEARCH_URL names a
// cluster). The tutorial's http://127.0.0.1:9200 is replaced by that cluster's URL.
// Needs `npx tsc -b` at the root first.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { normaliseEvent, replayCapture } from '@wirebeat/testing';
import { echoProtocol } from '@wirebeat/protocol-echo';
import { copyRepository, events, requireBuiltRepository, run } from './helpers';

jest.setTimeout(900_000);

const repoRoot = path.resolve(__dirname, '../../..');
const tutorial = fs.readFileSync(path.join(repoRoot, 'docs', 'tutorial.md'), 'utf8');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const es = require(path.join(repoRoot, 'scripts', 'es.js')) as {
  start(opts?: object): Promise<{ url: string; started: boolean }>;
  stop(opts?: object): Promise<unknown>;
};

/** One fenced block of the tutorial. */
interface Block {
  lang: string;
  file?: string;
  body: string;
}

/** The fenced blocks that are steps: shell commands and files. */
function steps(markdown: string): Block[] {
  const blocks: Block[] = [];
  for (const m of markdown.matchAll(/^```(\w+)([^\n]*)\n([\s\S]*?)^```$/gm)) {
    const file = /\bfile=(\S+)/.exec(m[2])?.[1];
    if (m[1] === 'sh' || file !== undefined) blocks.push({ lang: m[1], file, body: m[3] });
  }
  return blocks;
}

/** Fields compared across protocols: the protocol name and namespace name are expected to differ. */
function comparable(fields: Record<string, unknown>, namespace: string) {
  const record = normaliseEvent(fields, { omit: ['type', 'event.dataset', 'network.protocol'] });
  if (namespace in record) {
    record.namespace = record[namespace];
    delete record[namespace];
  }
  return record;
}

/** Deletes the tutorial's indices of an earlier run, so that the count proves this run. */
async function deleteTutorialIndices(url: string): Promise<void> {
  const listed = await fetch(`${url}/_cat/indices/echo2-tutorial-*?format=json`);
  expect(listed.status).toBe(200);
  for (const { index } of (await listed.json()) as Array<{ index: string }>) {
    const deleted = await fetch(`${url}/${encodeURIComponent(index)}`, { method: 'DELETE' });
    expect(deleted.status).toBe(200);
  }
}

/** The URL the tutorial writes, and the cluster this run uses instead. */
const TUTORIAL_ES_URL = 'http://127.0.0.1:9200';
const esUrl = (process.env.ELASTICSEARCH_URL || `http://127.0.0.1:${process.env.ES_PORT || 9200}`).replace(
  /\/$/,
  '',
);
const withCluster = (text: string) => text.replaceAll(TUTORIAL_ES_URL, esUrl);

let tmp: string;
let startedEs = false;

beforeAll(() => {
  requireBuiltRepository();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wirebeat-tutorial-'));
});

afterAll(async () => {
  if (startedEs) await es.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('docs/tutorial.md', () => {
  it('has the steps the test expects: commands, and the files it changes', () => {
    const files = steps(tutorial)
      .filter((b) => b.file)
      .map((b) => b.file);
    expect(files).toEqual(
      [
        ...['src/message.ts', 'src/parser.ts', 'src/trans.ts', 'src/pub.ts', 'src/fields.ts'],
        ...['test/wire.ts', 'test/parser.test.ts'],
      ]
        .map((file) => `packages/protocol-echo2/${file}`)
        .concat('echo2-tutorial.yml'),
    );
  });

  it('works as written, from the generator to events in Elasticsearch', async () => {
    const root = path.join(tmp, 'wirebeat');
    fs.mkdirSync(root);
    copyRepository(repoRoot, root);
    const pkgDir = path.join(root, 'packages', 'protocol-echo2');
    const capture = path.join(root, 'pcaps', 'echo.pcap');
    const reference = await replayCapture(capture, [
      { module: echoProtocol, config: { send_request: true, send_response: true } },
    ]);
    expect(reference).toHaveLength(46);
    expect(tutorial).toContain(TUTORIAL_ES_URL);
    const checked = new Set<string>();
    let cwd = root;

    for (const block of steps(tutorial)) {
      if (block.file) {
        const target = path.join(root, block.file);
        // Files of the package replace generated ones; others (the beat's config) are new.
        expect(fs.existsSync(target)).toBe(block.file.startsWith('packages/protocol-echo2/'));
        fs.writeFileSync(target, withCluster(block.body));
        continue;
      }
      for (const line of withCluster(block.body)
        .split('\n')
        .map((l) => l.trim())) {
        if (line === '') continue;
        if (line.startsWith('cd ')) {
          cwd = path.resolve(cwd, line.slice(3));
          continue;
        }
        if (line === 'npm install') {
          // What npm install does for the new workspace package, without touching the copy's modules.
          fs.symlinkSync(pkgDir, path.join(root, 'node_modules', '@wirebeat', 'protocol-echo2'));
          continue;
        }
        if (line === 'npm run es:start') {
          if (!process.env.ELASTICSEARCH_URL) {
            const started = await es.start();
            startedEs = started.started;
            expect(started.url.replace(/\/$/, '')).toBe(esUrl);
          }
          await deleteTutorialIndices(esUrl);
          continue;
        }
        const stdout = run('bash', ['-c', line], cwd, { WIREBEAT_CACHE: path.join(repoRoot, '.cache') });
        if (line.startsWith('npx create-protocol')) {
          expect(stdout).toContain(
            'Created @wirebeat/protocol-echo2 in packages/protocol-echo2 (monorepo mode)',
          );
          checked.add('generate');
        } else if (line.includes('npm run --silent replay')) {
          // The tutorial's analyzer publishes protocol-echo's events for the reference capture.
          const printed = events(stdout);
          expect(printed).toHaveLength(46);
          expect(printed.map((f) => comparable(f, 'echo2'))).toEqual(
            reference.map((e) => comparable(e.fields, 'echo')),
          );
          expect(printed.filter((f) => f.status === 'Error').length).toBeGreaterThan(0);
          checked.add('replay');
        } else if (line.startsWith('npx pb_echo -I') && !line.includes('elasticsearch')) {
          const published = events(stdout);
          expect(published).toHaveLength(46);
          expect(published.every((f) => f.type === 'echo2')).toBe(true);
          checked.add('pb_echo');
        } else if (line.startsWith('curl') && line.includes('_count')) {
          const count = JSON.parse(stdout) as { count: number };
          expect(count.count).toBe(46);
          checked.add('elasticsearch');
        }
      }
      if (block.body.includes('UPDATE_GOLDEN=1')) {
        const expected = fs.readFileSync(
          path.join(pkgDir, 'test', 'captures', 'sample.expected.ndjson'),
          'utf8',
        );
        expect(expected).toContain('"echo2":{"echoed":true}');
        checked.add('tests');
      }
    }
    expect([...checked].sort()).toEqual(['elasticsearch', 'generate', 'pb_echo', 'replay', 'tests']);
    // The tutorial's code passes the repository's lint as it stands.
    run('npx', ['eslint', 'packages/protocol-echo2'], root);
    run('npx', ['prettier', '--check', 'packages/protocol-echo2'], root);
  });
});
