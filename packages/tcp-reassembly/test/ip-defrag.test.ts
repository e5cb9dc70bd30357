// IpDefragmenter on its own: fragments kept across frames whose buffers are reused.
import {
  DecodeStatus,
  DecodedPacket,
  IpDefragmenter,
  LinkType,
  buildUdpFragments,
  decodeFrame,
} from '@wirebeat/tcp-reassembly';

describe('IpDefragmenter', () => {
  it('copies what it keeps: a reader may reuse the buffer of the previous frame', () => {
    const payload = Array.from({ length: 100 }, (_, i) => String.fromCharCode(65 + (i % 26))).join('');
    const frags = buildUdpFragments(
      { src: '10.0.0.1', dst: '10.0.0.2', srcPort: 53, dstPort: 4000, payload },
      48,
    );
    const defrag = new IpDefragmenter();
    const pkt = new DecodedPacket();
    // One buffer for every frame, as a capture reader may hand out.
    const shared = Buffer.alloc(Math.max(...frags.map((f) => f.length)));
    let whole: Uint8Array | undefined;
    for (const f of frags) {
      shared.fill(0xee);
      f.copy(shared);
      const frame = shared.subarray(0, f.length);
      expect(decodeFrame(frame, LinkType.ETHERNET, pkt)).toBe(DecodeStatus.IP_FRAGMENT);
      whole = defrag.add(pkt, frame, 0) ?? whole;
    }
    expect(whole).toBeDefined();
    expect(whole!.constructor).toBe(Uint8Array); // as the frames are
    expect(decodeFrame(whole!, LinkType.RAW, pkt)).toBe(DecodeStatus.OK);
    const got = Buffer.from(whole!.subarray(pkt.payloadOffset, pkt.payloadOffset + pkt.payloadLength));
    expect(got.toString('latin1')).toBe(payload);
    expect(defrag.counters()).toMatchObject({ fragments: 3, reassembled: 1, pending: 0 });
  });
});
