// DNS options: Packetbeat's defaults and one clear error per bad option.
import { DnsConfigError, dnsProtocol, parseDnsConfig } from '@wirebeat/protocol-dns';

describe('dns config', () => {
  it('defaults to port 53 on UDP and TCP, without authorities or additionals', () => {
    expect(parseDnsConfig()).toMatchObject({
      ports: [53],
      include_authorities: false,
      include_additionals: false,
      send_request: false,
    });
    expect(dnsProtocol.transports).toEqual(['udp', 'tcp']);
  });

  it('names the bad option', () => {
    expect(() => parseDnsConfig({ include_authorities: 'yes' })).toThrow(DnsConfigError);
    expect(() => parseDnsConfig({ include_authorities: 'yes' })).toThrow(/include_authorities/);
    expect(() => parseDnsConfig({ include_additional: true })).toThrow(/unknown option 'include_additional'/);
  });
});
