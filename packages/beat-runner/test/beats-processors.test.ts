// Beats' value and metadata processors and the if/then/else form, on events shaped like ours.
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { buildProcessors, ProcessorConfigError, runProcessors } from '../src/internal';
import { addCloudMetadata, detectMimeType } from '../src/processors/metadata-processors';

type Obj = Record<string, unknown>;

/** Runs a config's processor list on an event; returns the event (or undefined when dropped) and failures. */
function run(processors: Obj[], event: Obj): { event?: Obj; failures: string[] } {
  const failures: string[] = [];
  const kept = runProcessors(buildProcessors(processors), event, (k, m) => failures.push(`${k}: ${m}`));
  return { event: kept ? event : undefined, failures };
}

const http = () => ({
  url: { original: '/a?b=1' },
  http: { response: { status_code: '404', body: { content: '{"x": 1}' } }, request: { method: 'GET' } },
  user_agent: { original: 'curl/8.5.0' },
  message: '10.0.0.1 - - [06/Dec/2026:05:00:00 +0000] "GET /a HTTP/1.1" 404 12',
});

describe('copy_fields', () => {
  it('copies values and never overwrites; a failure restores the event and sets error.message', () => {
    const { event } = run(
      [{ copy_fields: { fields: [{ from: 'http.request.method', to: 'method' }] } }],
      http(),
    );
    expect(event).toMatchObject({ method: 'GET', http: { request: { method: 'GET' } } });
    const e = http();
    const r = run(
      [
        {
          copy_fields: {
            fields: [
              { from: 'url.original', to: 'u' },
              { from: 'url.original', to: 'user_agent' },
            ],
          },
        },
      ],
      e,
    );
    expect(e).not.toHaveProperty('u');
    expect(e).toHaveProperty(
      'error.message',
      expect.stringMatching(/target field user_agent already exists/),
    );
    expect(r.failures).toHaveLength(1);
    const lax = run([{ copy_fields: { fields: [{ from: 'nope', to: 'x' }], ignore_missing: true } }], http());
    expect(lax.failures).toEqual([]);
  });
});

describe('truncate_fields', () => {
  it('cuts by characters or by bytes (never half a character) and flags the event', () => {
    const e = { a: 'héllo wörld', b: 'short' };
    run([{ truncate_fields: { fields: ['a', 'b'], max_characters: 5 } }], e);
    expect(e).toMatchObject({ a: 'héllo', b: 'short', log: { flags: ['truncated'] } });
    const f = { a: 'héllo' };
    run([{ truncate_fields: { fields: ['a'], max_bytes: 2 } }], f);
    expect(f.a).toBe('h');
    expect(() => buildProcessors([{ truncate_fields: { fields: ['a'] } }])).toThrow(ProcessorConfigError);
  });
});

describe('replace', () => {
  it('replaces every match, with Go-style group references', () => {
    const e = { path: '/users/123/items/456' };
    run([{ replace: { fields: [{ field: 'path', pattern: '/(\\d+)', replacement: '/<id:$1>' }] } }], e);
    expect(e.path).toBe('/users/<id:123>/items/<id:456>');
  });
});

describe('convert', () => {
  it('converts in place or into another field, with strconv rules', () => {
    const e = http();
    const r = run(
      [
        {
          convert: {
            fields: [
              { from: 'http.response.status_code', type: 'long' },
              { from: 'user_agent.original', to: 'ua', type: 'string' },
            ],
          },
        },
      ],
      e,
    );
    expect(r.failures).toEqual([]);
    expect(e).toMatchObject({ http: { response: { status_code: 404 } }, ua: 'curl/8.5.0' });
    const bad = { n: '1.5' };
    const f = run([{ convert: { fields: [{ from: 'n', type: 'integer' }] } }], bad);
    expect(bad.n).toBe('1.5');
    expect(f.failures[0]).toMatch(/unable to convert value \["1.5"\]: to integer/);
    const ip = { a: '10.0.0.1', b: 'true' };
    run(
      [
        {
          convert: {
            fields: [
              { from: 'a', type: 'ip' },
              { from: 'b', to: 'c', type: 'boolean' },
            ],
            mode: 'rename',
          },
        },
      ],
      ip,
    );
    expect(ip).toEqual({ a: '10.0.0.1', c: true });
  });
});

describe('dissect', () => {
  it('splits a field by the tokenizer under target_prefix, with skip, padding, append and types', () => {
    const e = http();
    const r = run(
      [
        {
          dissect: {
            tokenizer:
              '%{client.ip} %{?ident} %{} [%{ts}] "%{method} %{path} %{}" %{status|integer} %{bytes|long}',
            field: 'message',
          },
        },
      ],
      e,
    );
    expect(r.failures).toEqual([]);
    expect(e).toHaveProperty('dissect', {
      client: { ip: '10.0.0.1' },
      ts: '06/Dec/2026:05:00:00 +0000',
      method: 'GET',
      path: '/a',
      status: 404,
      bytes: 12,
    });
    const pad = { message: 'a    b' };
    run([{ dissect: { tokenizer: '%{x->} %{y}', target_prefix: '' } }], pad);
    expect(pad).toMatchObject({ x: 'a', y: 'b' });
    const app = { message: 'Dec 06 05:00 host' };
    run([{ dissect: { tokenizer: '%{+ts} %{+ts} %{+ts} %{h}' } }], app);
    expect(app).toHaveProperty('dissect', { ts: 'Dec 06 05:00', h: 'host' });
  });

  it('a line that does not match is flagged, not split', () => {
    const e = { message: 'no delimiters here' };
    const r = run([{ dissect: { tokenizer: '%{a}|%{b}' } }], e);
    expect(r.failures[0]).toMatch(/could not find delimiter/);
    expect(e).toEqual({ message: 'no delimiters here', log: { flags: ['dissect_parsing_error'] } });
  });
});

describe('if/then/else', () => {
  it('runs the branch the condition picks', () => {
    const procs = [
      {
        if: { equals: { 'http.response.status_code': 404 } },
        then: [{ add_fields: { target: '', fields: { missing: true } } }],
        else: [{ drop_event: {} }],
      },
    ];
    expect(run(procs, http()).event).toHaveProperty('missing', true);
    const ok = http();
    ok.http.response.status_code = '200';
    expect(run(procs, ok).event).toBeUndefined();
  });
});

describe('detect_mime_type', () => {
  it('names the type of a content field', () => {
    const e = http();
    run(
      [{ detect_mime_type: { field: 'http.response.body.content', target: 'http.response.mime_type' } }],
      e,
    );
    expect(e.http.response).toHaveProperty('mime_type', 'application/json');
    expect(detectMimeType('<!DOCTYPE html><html></html>')).toBe('text/html; charset=utf-8');
    expect(detectMimeType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe(
      'image/png',
    );
    expect(detectMimeType('hello')).toBe('text/plain; charset=utf-8');
  });
});

describe('host metadata processors', () => {
  it('add_cloud_metadata adds nothing when the DMI identity names no cloud, and the provider when it does', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dmi-'));
    try {
      // No DMI files (containers) or a vendor that is no cloud: nothing added, no address asked.
      const e: Obj = { a: 1 };
      addCloudMetadata({}, 'p', dir).run(e);
      expect(e).toEqual({ a: 1 });
      fs.writeFileSync(path.join(dir, 'sys_vendor'), 'QEMU\n');
      addCloudMetadata({}, 'p', dir).run(e);
      expect(e).toEqual({ a: 1 });
      fs.writeFileSync(path.join(dir, 'sys_vendor'), 'Amazon EC2\n');
      const aws: Obj = {};
      addCloudMetadata({}, 'p', dir).run(aws);
      expect(aws).toEqual({ cloud: { provider: 'aws' } });
      const onlyGcp: Obj = {};
      addCloudMetadata({ providers: ['gcp'] }, 'p', dir).run(onlyGcp);
      expect(onlyGcp).toEqual({});
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('add_docker_metadata adds nothing without a Docker socket, and says so when one exists', async () => {
    const none = run([{ add_docker_metadata: { host: 'unix:///nonexistent/docker.sock' } }], { a: 1 });
    expect(none).toEqual({ event: { a: 1 }, failures: [] });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dock-'));
    const sock = path.join(dir, 'docker.sock');
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(sock, resolve));
    try {
      const r = run([{ add_docker_metadata: { host: `unix://${sock}` } }], { a: 1 });
      expect(r.event).toEqual({ a: 1 });
      expect(r.failures[0]).toMatch(/not supported/);
    } finally {
      await new Promise((resolve) => server.close(resolve));
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('add_process_metadata describes the process a pid field names, from /proc', () => {
    const e: Obj = { process: { pid: process.pid } };
    const r = run([{ add_process_metadata: { match_pids: ['process.pid'] } }], e);
    expect(r.failures).toEqual([]);
    expect(e.process).toMatchObject({
      pid: process.pid,
      name: fs.readFileSync(`/proc/${process.pid}/comm`, 'utf8').trim(),
      executable: fs.readlinkSync(`/proc/${process.pid}/exe`),
      args: expect.arrayContaining([expect.stringMatching(/node$/), ...process.argv.slice(2)]),
      parent: { pid: process.ppid },
      working_directory: process.cwd(),
    });
    const missing = run([{ add_process_metadata: { match_pids: ['nope'] } }], { a: 1 });
    expect(missing).toEqual({ event: { a: 1 }, failures: [] });
  });
});
