import { isIPv4 } from 'net';
import { communityId, ipToBytes, ipv4Of, IpProto } from '@wirebeat/applayer';

// Published example values of the Community ID v1 specification (its baseline data).
describe('communityId (Community ID v1)', () => {
  it('matches the spec baseline for TCP 1.2.3.4:1122 -> 5.6.7.8:3344', () => {
    expect(communityId('1.2.3.4', 1122, '5.6.7.8', 3344, IpProto.TCP)).toBe('1:wCb3OG7yAFWelaUydu0D+125CLM=');
  });

  it('is the same for both directions of a flow', () => {
    expect(communityId('5.6.7.8', 3344, '1.2.3.4', 1122, IpProto.TCP)).toBe('1:wCb3OG7yAFWelaUydu0D+125CLM=');
  });

  it('matches the spec baseline with seed 1', () => {
    expect(communityId('1.2.3.4', 1122, '5.6.7.8', 3344, IpProto.TCP, 1)).toBe(
      '1:HhA1B+6CoLbiKPEs5nhNYN4XWfk=',
    );
  });

  it('matches the spec baseline for UDP', () => {
    expect(communityId('1.2.3.4', 1122, '5.6.7.8', 3344, IpProto.UDP)).toBe('1:0Mu9InQx6z4ZiCZM/7HXi2WMhOg=');
  });

  it('matches the spec baseline for IPv6 (ICMPv6 echo request 128 / reply 129)', () => {
    expect(
      communityId(
        'fe80:0001:0203:0405:0607:0809:0A0B:0C0D',
        128,
        'fe80:1011:1213:1415:1617:1819:1A1B:1C1D',
        129,
        58,
      ),
    ).toBe('1:0bf7hyMJUwt3fMED7z8LIfRpBeo=');
  });

  it('parses compressed IPv6 and embedded IPv4 addresses', () => {
    expect(Buffer.from(ipToBytes('fe80::1')).toString('hex')).toBe('fe800000000000000000000000000001');
    expect(Buffer.from(ipToBytes('::ffff:1.2.3.4')).toString('hex')).toBe('00000000000000000000ffff01020304');
    expect(Buffer.from(ipToBytes('::')).toString('hex')).toBe('0'.repeat(32));
    expect(Buffer.from(ipToBytes('10.0.0.1')).toString('hex')).toBe('0a000001');
  });

  it('tells IPv4 addresses as net.isIPv4 does, and gives their value', () => {
    const samples = [
      '0.0.0.0',
      '255.255.255.255',
      '1.2.3.4',
      '10.0.0.1',
      '256.1.1.1',
      '01.2.3.4',
      '1.2.3',
      '1.2.3.4.5',
      '1..2.3',
      '.1.2.3',
      '1.2.3.',
      '1.2.3.04',
      '::1',
      '::ffff:1.2.3.4',
      '1.2.3.4 ',
      '',
      'a.b.c.d',
      '1.2.3.1000',
      '100.200.250.199',
    ];
    let seed = 7;
    for (let i = 0; i < 2000; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const parts = Array.from({ length: 3 + (seed % 3) }, (_, k) => String((seed >> (k * 4)) % 300));
      samples.push(parts.join('.'));
    }
    for (const s of samples) expect([s, ipv4Of(s) >= 0]).toEqual([s, isIPv4(s)]);
    expect(ipv4Of('192.168.1.2')).toBe(((192 * 256 + 168) * 256 + 1) * 256 + 2);
  });
});
