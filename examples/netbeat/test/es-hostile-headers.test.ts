// A client choosing its own header names cannot keep its requests out of the index: netbeat with
// send_all_headers ships requests with headers `Host.x`, `constructor` and `__proto__` into a
// real Elasticsearch (scripts/jest-es-setup.js), which indexes every one of them.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildConversation, writeCapture } from '@wirebeat/testing';
import {
  cleanup,
  countDocs,
  esJson,
  requireElasticsearch,
} from '../../../packages/publisher/test/helpers/es';

jest.setTimeout(600_000);

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const ROOT = path.resolve(__dirname, '../../..');
const MAIN = path.join(ROOT, 'examples/netbeat/dist/main.js');

/** Runs the built netbeat; resolves with its exit code and stderr. */
function netbeat(args: string[]): Promise<{ code: number | null; stderr: string }> {
  if (!fs.existsSync(MAIN))
    throw new Error(`${MAIN} is missing: run \`npx tsc -b\` at the repository root first`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stderr }));
  });
}

const REQUESTS = [
  'GET /plain HTTP/1.1\r\nHost: h\r\n\r\n',
  'GET /dotted HTTP/1.1\r\nHost: h\r\nHost.x: y\r\n\r\n',
  'GET /proto HTTP/1.1\r\nHost: h\r\nconstructor: c1\r\n__proto__: p1\r\n\r\n',
];

describe('netbeat into Elasticsearch: hostile header names', () => {
  const prefix = `netbeat_headers_${process.pid}_${Date.now().toString(36)}`;
  let url: string;
  let dir: string;

  beforeAll(() => {
    url = requireElasticsearch();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netbeat-headers-'));
  });

  afterAll(async () => {
    if (url) await cleanup(url, `${prefix}-*`, prefix);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('indexes every request, whatever its header names', async () => {
    const frames = REQUESTS.flatMap((request, i) =>
      buildConversation({
        client: { ip: '10.0.0.2', port: 41000 + i },
        server: { port: 80 },
        start: Date.UTC(2026, 0, 1) + i * 1000,
        messages: [
          { from: 'client', data: request },
          { from: 'server', data: 'HTTP/1.1 204 No Content\r\n\r\n' },
        ],
      }),
    );
    const capture = path.join(dir, 'headers.pcap');
    writeCapture(frames, capture);
    const r = await netbeat([
      '-I',
      capture,
      '-t',
      '-E',
      'netbeat.protocols=[{type: http, ports: [80], send_all_headers: true}]',
      '-E',
      `output.elasticsearch.hosts=["${url}"]`,
      '-E',
      `output.elasticsearch.index=${prefix}-%{+yyyy.MM.dd}`,
      '-E',
      `setup.template.name=${prefix}`,
      '-E',
      `setup.template.pattern=${prefix}-*`,
    ]);
    expect(r.stderr).not.toContain('document_parsing_exception');
    expect(r.code).toBe(0);
    expect(await countDocs(url, `${prefix}-*`)).toBe(REQUESTS.length);
    const hits = await esJson<{ hits: { hits: Array<{ _source: Doc }> } }>(
      url,
      'POST',
      `/${prefix}-*/_search`,
      {
        query: { term: { 'url.path': '/dotted' } },
      },
    );
    expect(hits.hits.hits[0]._source.http.request.headers).toEqual({ host: 'h', host_x: 'y' });
  });
});
