#!/usr/bin/env python3
"""Traffic for the flows capture, on loopback between 127.23.0.1 and 127.23.0.2 (and ::1 on the
ports given): TCP connections, UDP datagrams both ways, ICMP and ICMPv6 echoes (the kernel
answers them), a GRE-numbered raw IP packet, and pauses that make flows outlive a 1 s period and
a 1 s timeout. Run by record-capture.sh while tcpdump records; needs root (raw sockets)."""
import socket
import struct
import sys
import threading
import time

A, B = '127.23.0.1', '127.23.0.2'
TCP_PORT, UDP_PORT, TCP6_PORT, UDP6_PORT = (int(p) for p in sys.argv[1:5])


def checksum(data: bytes) -> int:
    if len(data) % 2:
        data += b'\0'
    s = sum(struct.unpack('!%dH' % (len(data) // 2), data))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF


def tcp_server(family, addr, port, ready):
    srv = socket.socket(family, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((addr, port))
    srv.listen(8)
    ready.set()
    while True:
        conn, _ = srv.accept()
        with conn:
            while True:
                data = conn.recv(4096)
                if not data:
                    break
                conn.sendall(data.upper() * 2)


def tcp_exchange(family, src, dst, port, messages, pause=0.0):
    c = socket.socket(family, socket.SOCK_STREAM)
    c.bind((src, 0))
    c.connect((dst, port))
    for m in messages:
        c.sendall(m)
        c.recv(4096)
        if pause:
            time.sleep(pause)
    c.close()


def udp_exchange(family, src, dst, port, count, sport=0, pause=0.0):
    srv = socket.socket(family, socket.SOCK_DGRAM)
    srv.bind((dst, port))
    c = socket.socket(family, socket.SOCK_DGRAM)
    c.bind((src, sport))
    for i in range(count):
        c.sendto(b'ping %d ' % i * (i + 1), (dst, port))
        data, peer = srv.recvfrom(2048)
        srv.sendto(data + b'pong', peer)
        c.recvfrom(2048)
        if pause:
            time.sleep(pause)
    c.close()
    srv.close()


def icmp_echo(count, ident):
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    s.bind((A, 0))
    for seq in range(count):
        body = struct.pack('!BBHHH', 8, 0, 0, ident, seq) + b'flows-echo' * 3
        body = body[:2] + struct.pack('!H', checksum(body)) + body[4:]
        s.sendto(body, (B, 0))
        time.sleep(0.05)
    s.close()


def icmp6_echo(count, ident):
    s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
    for seq in range(count):
        # The kernel fills the ICMPv6 checksum of raw sockets.
        s.sendto(struct.pack('!BBHHH', 128, 0, 0, ident, seq) + b'flows6', ('::1', 0))
        time.sleep(0.05)
    s.close()


def gre_packets(count):
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 47)
    s.bind((A, 0))
    for _ in range(count):
        s.sendto(b'\x00\x00\x08\x00' + b'not really tunnelled', (B, 0))
    s.close()


def main():
    readies = []
    for family, addr, port in ((socket.AF_INET, B, TCP_PORT), (socket.AF_INET6, '::1', TCP6_PORT)):
        ready = threading.Event()
        threading.Thread(target=tcp_server, args=(family, addr, port, ready), daemon=True).start()
        readies.append(ready)
    for r in readies:
        r.wait()
    # Two short TCP connections and one long one (3 exchanges 0.6 s apart: longer than a 1 s period).
    tcp_exchange(socket.AF_INET, A, B, TCP_PORT, [b'hello flows\n'])
    tcp_exchange(socket.AF_INET, A, B, TCP_PORT, [b'second\n', b'connection\n'])
    tcp_exchange(socket.AF_INET, A, B, TCP_PORT, [b'long-1\n', b'long-2\n', b'long-3\n'], pause=0.6)
    udp_exchange(socket.AF_INET, A, B, UDP_PORT, 4, sport=UDP_PORT + 1)
    icmp_echo(3, 0x2323)
    icmp6_echo(2, 0x2324)
    gre_packets(2)
    tcp_exchange(socket.AF_INET6, '::1', '::1', TCP6_PORT, [b'over ipv6\n'])
    udp_exchange(socket.AF_INET6, '::1', '::1', UDP6_PORT, 2, sport=UDP6_PORT + 1)
    # Silence longer than a 1 s timeout, then the same UDP tuple again: a new flow.
    time.sleep(1.6)
    udp_exchange(socket.AF_INET, A, B, UDP_PORT, 1, sport=UDP_PORT + 1)


main()
