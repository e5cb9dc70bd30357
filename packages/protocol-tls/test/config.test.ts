// The TLS options: Packetbeat's defaults and names, and one clear error per bad option.
import { TlsConfigError, parseTlsConfig } from '@wirebeat/protocol-tls';

describe('TLS options', () => {
  it("Packetbeat's defaults: its ports, certificates and detailed fields on, raw certificates off, SHA-1", () => {
    expect(parseTlsConfig()).toMatchObject({
      ports: [443, 993, 995, 5223, 8443, 8883, 9243],
      send_certificates: true,
      include_raw_certificates: false,
      include_detailed_fields: true,
      fingerprints: ['sha1'],
    });
  });

  it('fingerprint names as Packetbeat accepts them, in any case', () => {
    expect(parseTlsConfig({ fingerprints: ['MD5', 'sha-1', 'SHA-256'] }).fingerprints).toEqual([
      'md5',
      'sha1',
      'sha256',
    ]);
  });

  it('an unknown algorithm or option is a TlsConfigError naming it', () => {
    expect(() => parseTlsConfig({ fingerprints: ['sha512'] })).toThrow(TlsConfigError);
    expect(() => parseTlsConfig({ fingerprints: ['sha512'] })).toThrow(
      /unknown fingerprint algorithm 'sha512'/,
    );
    expect(() => parseTlsConfig({ send_certificate: true })).toThrow(/send_certificate/);
  });
});
