// Rendering the real template: the chosen framing kept, every name, the port and the description replaced.
import { TEMPLATE_PORT, loadTemplate, renderTemplate, renderText, variantPath } from '../src';
import type { GeneratorAnswers } from '../src';

const template = loadTemplate();
const answers: GeneratorAnswers = {
  name: 'my_proto',
  port: 4040,
  description: "It's a proto.",
  framing: 'length',
};
const rendered = renderTemplate(template.files, answers, template.pkg.description);
const text = (file: string) => rendered.get(file)!.toString('utf8');

describe('variantPath', () => {
  it('keeps the chosen variant without its suffix and drops the others', () => {
    expect(variantPath('src/parser-length.ts', 'length')).toBe('src/parser.ts');
    expect(variantPath('test/captures/sample-length.expected.ndjson', 'length')).toBe(
      'test/captures/sample.expected.ndjson',
    );
    expect(variantPath('src/parser-newline.ts', 'length')).toBeNull();
    expect(variantPath('src/pub.ts', 'length')).toBe('src/pub.ts');
  });
});

describe('renderTemplate on the protocol template', () => {
  it('produces the module split with the protocol name in file names', () => {
    const files = [...rendered.keys()].sort();
    for (const file of [
      'src/config.ts',
      'src/my_proto.ts',
      'src/parser.ts',
      'src/trans.ts',
      'src/pub.ts',
      'src/fields.ts',
      'src/index.ts',
    ]) {
      expect(files).toContain(file);
    }
    for (const file of [
      'test/parser.test.ts',
      'test/replay.test.ts',
      'test/split.test.ts',
      'test/gap.test.ts',
      'test/wire.ts',
    ]) {
      expect(files).toContain(file);
    }
    expect(files).toContain('test/captures/sample.pcap');
    expect(files).toContain('test/captures/sample.expected.ndjson');
    expect(files.filter((f) => /-(newline|length|custom)\b/.test(f))).toEqual([]);
    expect(files).not.toContain('test/variants.test.ts');
    expect(files).not.toContain('test/replay-script.test.ts');
  });

  it('keeps the chosen framing as parser.ts and wire.ts', () => {
    expect(text('src/parser.ts')).toContain('extends LengthPrefixedParser');
    expect(text('test/wire.ts')).toContain("SAMPLE_NAME = 'sample'");
    expect(text('test/parser.test.ts')).toContain("from '../src/parser'");
  });

  it('leaves no trace of the template name in text files', () => {
    for (const [file, content] of rendered) {
      if (/\.(pcap)$/.test(file)) continue;
      expect({ file, hasTemplate: /template/i.test(content.toString('utf8')) }).toEqual({
        file,
        hasTemplate: false,
      });
    }
  });

  it('renames identifiers, constants and event fields', () => {
    expect(text('src/my_proto.ts')).toContain('export const my_protoProtocol = defineProtocol<');
    expect(text('src/my_proto.ts')).toContain('new MyProtoParser(');
    expect(text('src/index.ts')).toContain(
      "export { my_protoProtocol, parseMyProtoConfig } from './my_proto';",
    );
    expect(text('test/captures/sample.expected.ndjson')).toContain('"type":"my_proto"');
    expect(text('src/fields.ts')).toContain("'my_proto.request.body_bytes'");
  });

  it('sets the port in config.ts and the README only, and the description as a safe literal', () => {
    expect(text('src/config.ts')).toContain('DEFAULT_PORTS = [4040]');
    expect(text('test/sample-capture.ts')).toContain(`SAMPLE_PORT = ${TEMPLATE_PORT}`);
    expect(text('src/my_proto.ts')).toContain("description: 'It\\'s a proto.'");
    expect(text('README.md')).toContain("It's a proto.");
    expect(text('README.md')).toContain('ports: [4040]');
  });
});

describe('renderText', () => {
  it('does not rewrite what a replacement inserted', () => {
    const out = renderText(
      "name: 'template', d: 'Desc'",
      'src/x.ts',
      { ...answers, name: 'tmpl', description: 'template Template' },
      'Desc',
    );
    expect(out).toBe("name: 'tmpl', d: 'template Template'");
  });
});

describe('transport and pairing', () => {
  const render = (extra: Partial<GeneratorAnswers>) =>
    renderTemplate(template.files, { ...answers, ...extra }, template.pkg.description);
  const definition = (files: Map<string, Buffer>) => files.get('src/my_proto.ts')!.toString('utf8');

  it('writes the chosen transports into the definition (tcp by default)', () => {
    expect(definition(rendered)).toContain("transports: ['tcp'],");
    expect(definition(render({ transport: 'udp' }))).toContain("transports: ['udp'],");
    expect(definition(render({ transport: 'both' }))).toContain("transports: ['tcp', 'udp'],");
  });

  it('pairs by key with the pairingKey of trans.ts only when asked', () => {
    expect(definition(rendered)).not.toContain('pairBy');
    const keyed = definition(render({ pairing: 'key' }));
    expect(keyed).toContain('pairBy: pairingKey,');
    expect(keyed).toContain("import { matches, pairingKey } from './trans';");
  });

  it('a UDP-only protocol gets no tests of TCP streams, and keeps its UDP test', () => {
    const files = [...render({ transport: 'udp' }).keys()];
    expect(files).toContain('test/udp.test.ts');
    expect(files).toContain('test/parser.test.ts');
    for (const tcpOnly of ['test/split.test.ts', 'test/gap.test.ts', 'test/replay.test.ts'])
      expect(files).not.toContain(tcpOnly);
    expect([...render({ transport: 'both' }).keys()]).toContain('test/split.test.ts');
  });
});

describe('length-prefixed framing answers', () => {
  it("are written into the parser's FRAMING; the template's stays without them", () => {
    const lengthFraming = {
      headerSize: 6,
      lengthOffset: 2,
      lengthSize: 2,
      byteOrder: 'little',
      lengthIncludesHeader: true,
    } as const;
    const parser = renderTemplate(template.files, { ...answers, lengthFraming }, template.pkg.description)
      .get('src/parser.ts')!
      .toString('utf8');
    expect(parser).toContain(
      "export const FRAMING: LengthFraming = {\n  headerSize: 6,\n  lengthOffset: 2,\n  lengthSize: 2,\n  byteOrder: 'little',\n  lengthIncludesHeader: true,\n};",
    );
    expect(text('src/parser.ts')).toContain(
      "headerSize: 4,\n  lengthOffset: 0,\n  lengthSize: 4,\n  byteOrder: 'big',",
    );
  });
});
