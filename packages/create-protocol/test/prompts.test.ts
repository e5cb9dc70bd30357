// Interactive answers: asked only for what flags did not give, bad answers asked again.
import { PassThrough } from 'node:stream';
import { UsageError, completeAnswers, parseCliOptions } from '../src';

/** Runs completeAnswers on a fake terminal that answers each question in turn. */
async function answer(argv: string[], replies: string[]) {
  const input = new PassThrough();
  const output = new PassThrough();
  let shown = '';
  output.on('data', (chunk: Buffer) => {
    shown += chunk.toString();
    // Answer each new question (a prompt ends with ': ') once it is displayed.
    const questions = shown.split('): ').length - 1;
    while (replies.length > 0 && questions > asked) {
      asked++;
      input.write(`${replies.shift()}\n`);
    }
  });
  let asked = 0;
  const answers = await completeAnswers(parseCliOptions(argv), { input, output, interactive: true });
  return { answers, shown };
}

describe('completeAnswers', () => {
  it('asks for every missing answer and takes defaults on empty input', async () => {
    const { answers, shown } = await answer([], ['ping', '4040', '', 'custom', 'both', '']);
    expect(answers).toEqual({
      name: 'ping',
      port: 4040,
      description: 'Ping protocol analyzer for wirebeat.',
      framing: 'custom',
      transport: 'both',
      pairing: 'fifo',
      scope: undefined,
    });
    expect(shown).toContain('Protocol name');
    expect(shown).toContain('Message framing [newline, length, custom]');
    expect(shown).toContain('Transport [tcp, udp, both]');
    expect(shown).toContain('Pairing of responses [fifo (in order), key (by an id)]');
  });

  it('asks again after a bad answer, saying what is wrong', async () => {
    const { answers, shown } = await answer(
      [
        '--port',
        '1234',
        '--description',
        'D.',
        '--framing',
        'newline',
        '--transport',
        'tcp',
        '--pairing',
        'fifo',
      ],
      ['Bad Name', 'ok_name'],
    );
    expect(answers.name).toBe('ok_name');
    expect(shown).toContain('invalid protocol name "Bad Name"');
  });

  it('never asks with --yes or without a terminal; the name is then required', async () => {
    const io = { input: new PassThrough(), output: new PassThrough(), interactive: false };
    expect(await completeAnswers(parseCliOptions(['ping']), io)).toEqual({
      name: 'ping',
      port: 7357,
      description: 'Ping protocol analyzer for wirebeat.',
      framing: 'newline',
      transport: 'tcp',
      pairing: 'fifo',
      scope: undefined,
    });
    await expect(completeAnswers(parseCliOptions(['--yes']), { ...io, interactive: true })).rejects.toThrow(
      UsageError,
    );
  });
});

describe('completeAnswers for length-prefixed framing', () => {
  it('asks for the length field after the framing, checking the header holds it', async () => {
    const { answers, shown } = await answer(
      ['ping', '--port', '1', '--description', 'D.', '--transport', 'tcp', '--pairing', 'fifo'],
      ['length', '2', '2', '3', '6', 'little', 'yes'],
    );
    expect(answers.lengthFraming).toEqual({
      headerSize: 6,
      lengthOffset: 2,
      lengthSize: 2,
      byteOrder: 'little',
      lengthIncludesHeader: true,
    });
    expect(shown).toContain('Length field size in bytes [1, 2, 3, 4] (4)');
    expect(shown).toContain('Header size in bytes, length field included (4)');
    expect(shown).toContain('invalid header size 3: a 2-byte length at offset 2 needs at least 4');
  });

  it('takes the defaults with --yes, and no length answers for other framings', async () => {
    const io = { input: new PassThrough(), output: new PassThrough(), interactive: false };
    expect(
      (await completeAnswers(parseCliOptions(['ping', '--framing', 'length']), io)).lengthFraming,
    ).toEqual({
      headerSize: 4,
      lengthOffset: 0,
      lengthSize: 4,
      byteOrder: 'big',
      lengthIncludesHeader: false,
    });
    expect((await completeAnswers(parseCliOptions(['ping']), io)).lengthFraming).toBeUndefined();
  });
});
