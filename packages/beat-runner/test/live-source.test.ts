// LiveSource on the loopback device: real packets through the capture process.
import net from 'net';
import { LiveSource } from '../src/sources/live-source';

jest.setTimeout(30_000);

describe('LiveSource', () => {
  it('hands over the captured frames as plain Uint8Arrays, with their bytes', async () => {
    const server = net.createServer((s) => s.pipe(s));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    const source = new LiveSource({
      device: 'lo',
      filter: `tcp port ${port}`,
      snaplen: 65535,
      bufferSizeMb: 2,
    });
    const kinds = new Set<string>();
    let sawPayload = false;
    let opened!: () => void;
    const open = new Promise<void>((r) => (opened = r));
    const done = source.run({
      frame: (f) => {
        kinds.add(f.data.constructor.name);
        // The payload travels at the end of the frame: the data is the packet, not a view of something else.
        if (Buffer.from(f.data).toString('latin1').endsWith('wirebeat-live')) sawPayload = true;
        if (sawPayload) source.stop();
      },
      mustWait: false,
      waitForSpace: () => Promise.resolve(),
      ready: () => opened(),
    });
    try {
      await open;
      // Send until the capture has seen the payload (the capture may open a moment after ready).
      for (let i = 0; i < 50 && !sawPayload; i++) {
        const c = net.connect(port, '127.0.0.1');
        await new Promise<void>((r) => c.once('connect', r));
        c.end('wirebeat-live');
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      source.stop();
      server.close();
    }
    const summary = await done;
    expect(sawPayload).toBe(true);
    expect(summary.frames).toBeGreaterThan(0);
    // One kind of byte array for the engine's code, as from the capture file reader.
    expect([...kinds]).toEqual(['Uint8Array']);
  });
});
