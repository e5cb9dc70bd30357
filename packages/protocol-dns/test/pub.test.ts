// The event side on its own: registered-domain parts of question names, the text form of messages.
import { decodeDnsMessage, domainParts, messageText } from '@wirebeat/protocol-dns';
import { buildMessage, rr, u16, wireName } from './support/build';

describe('domainParts', () => {
  it.each<[string, Record<string, string>]>([
    [
      'www.amazon.co.uk',
      {
        etld_plus_one: 'amazon.co.uk',
        registered_domain: 'amazon.co.uk',
        top_level_domain: 'co.uk',
        subdomain: 'www',
      },
    ],
    ['golang.org', { etld_plus_one: 'golang.org', registered_domain: 'golang.org', top_level_domain: 'org' }],
    // Private suffixes count, as in Go's publicsuffix package.
    [
      'a.b.blogspot.com',
      {
        etld_plus_one: 'b.blogspot.com',
        registered_domain: 'b.blogspot.com',
        top_level_domain: 'blogspot.com',
        subdomain: 'a',
      },
    ],
    [
      '1.0.0.127.in-addr.arpa',
      {
        etld_plus_one: '127.in-addr.arpa',
        registered_domain: '127.in-addr.arpa',
        top_level_domain: 'in-addr.arpa',
        subdomain: '1.0.0',
      },
    ],
    [
      // Looked up case-blind, written in the name's own case.
      'WWW.Example.COM',
      {
        etld_plus_one: 'Example.COM',
        registered_domain: 'Example.COM',
        top_level_domain: 'COM',
        subdomain: 'WWW',
      },
    ],
    ['.', {}],
    ['com', {}],
    ['a\\.b.example', {}],
  ])('%s', (name, parts) => {
    expect(domainParts(name)).toEqual(parts);
  });
});

describe('messageText', () => {
  it('writes a message in the layout of Packetbeat request/response', () => {
    const m = decodeDnsMessage(
      buildMessage({
        id: 9,
        flags: [0x85, 0x80],
        questions: [['example.org', 15]],
        answers: [rr(wireName('', 12), 15, 1, 60, [...u16(10), ...wireName('mx', 12)])],
      }),
    );
    expect(messageText(m)).toBe(
      'ID 9; QR response; OPCODE QUERY; FLAGS aa rd ra; RCODE NOERROR; QUESTION class IN, type MX, example.org; ' +
        'ANSWER class IN, name example.org, preference 10, ttl 60, type MX, mx.example.org',
    );
  });
});
