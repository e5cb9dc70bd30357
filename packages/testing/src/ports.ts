// Free ports for tests that start real servers: picked at run time, never fixed.
import net from 'node:net';

/** A TCP port free on `host` now (the OS picks it; a server started right after takes it). */
export function freeTcpPort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
