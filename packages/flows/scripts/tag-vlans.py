#!/usr/bin/env python3
"""Writes test/fixtures/vlan-flows.pcap from loopback-flows.pcap (Ethernet): IPv4 TCP frames get an
802.1Q tag (VLAN 100), IPv4 UDP frames an 802.1ad + 802.1Q pair (QinQ, VLANs 200 then 300), and
every ICMP frame is kept untagged and also repeated right after with VLAN 7 (the same addresses
on another VLAN: another flow). The rest is copied as it is. tshark reads the tags independently."""
import struct
import sys
import os

here = os.path.dirname(os.path.abspath(__file__))
src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, '../test/fixtures/loopback-flows.pcap')
dst = sys.argv[2] if len(sys.argv) > 2 else os.path.join(here, '../test/fixtures/vlan-flows.pcap')


def tag(tpid, vid):
    return struct.pack('!HH', tpid, vid)


def retag(frame, tags):
    return frame[:12] + b''.join(tags) + frame[12:]


with open(src, 'rb') as f:
    data = f.read()
head, body = data[:24], data[24:]
endian = '<' if struct.unpack('<I', head[:4])[0] in (0xA1B2C3D4, 0xA1B23C4D) else '>'
out = [head]
i = 0
while i < len(body):
    sec, frac, incl, orig = struct.unpack(endian + 'IIII', body[i:i + 16])
    frame = body[i + 16:i + 16 + incl]
    i += 16 + incl
    ethertype = struct.unpack('!H', frame[12:14])[0]
    proto = frame[14 + 9] if ethertype == 0x0800 else None
    frames = [frame]
    if proto == 6:
        frames = [retag(frame, [tag(0x8100, 100)])]
    elif proto == 17:
        frames = [retag(frame, [tag(0x88A8, 200), tag(0x8100, 300)])]
    elif proto == 1:
        frames = [frame, retag(frame, [tag(0x8100, 7)])]
    for n, fr in enumerate(frames):
        extra = len(fr) - len(frame)
        out.append(struct.pack(endian + 'IIII', sec, frac + n, len(fr), orig + extra) + fr)
with open(dst, 'wb') as f:
    f.write(b''.join(out))
print('wrote', dst)
