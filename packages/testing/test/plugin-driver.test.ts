// Driving a plugin directly: state threading, closes, and payloads poisoned after each call.
import type { ProtocolModule, TcpPlugin } from '@wirebeat/applayer';
import { createCounters, protocolConfigSchema } from '@wirebeat/applayer';
import { PluginDriver } from '../src';
import { lineProtocol } from './line-protocol';

describe('PluginDriver', () => {
  it('feeds chunks in both directions and publishes on close', () => {
    const driver = new PluginDriver(lineProtocol, { send_request: true, send_response: true });
    driver.chunks(0, ['he', 'llo\nwor', 'ld\n']).data(1, 'HELLO\n');
    expect(driver.events).toHaveLength(1);
    const events = driver.close('fin');
    expect(events.map((e) => [e.fields.request, e.fields.response, e.fields.status])).toEqual([
      ['hello', 'HELLO', 'OK'],
      ['world', undefined, 'Error'],
    ]);
    expect(events[0].fields.destination).toMatchObject({ ip: '10.0.0.1', port: 9999 });
  });

  it('reports what gapInStream asked for', () => {
    const driver = new PluginDriver(lineProtocol);
    driver.data(0, 'x');
    expect(driver.gap(0, 10)).toBe(true);
  });

  it('dataWithGap delivers what surrounds the lost bytes, and stops when the plugin drops the connection', () => {
    const seen: string[] = [];
    const recorder: ProtocolModule = {
      ...lineProtocol,
      name: 'recorder',
      configSchema: protocolConfigSchema([1], {}),
      create: (): TcpPlugin => ({
        parse: (pkt, _t, _d, state) => (seen.push(Buffer.from(pkt.payload).toString()), state),
        receivedFin: (_t, _d, state) => state,
        gapInStream: (_t, _d, n, state) => (seen.push(`gap ${n}`), { state, drop: n > 3 }),
        connectionClosed: () => undefined,
        counters: createCounters,
      }),
    };
    const driver = new PluginDriver(recorder);
    expect(driver.dataWithGap(0, ['abc', 'defg'], 2, 5)).toBe(false);
    expect(driver.dataWithGap(0, ['abcdefgh'], 1, 5)).toBe(true);
    expect(seen).toEqual(['ab', 'gap 3', 'fg', 'a', 'gap 4']);
  });

  it('overwrites payloads after the call, so a plugin keeping a view shows wrong data', () => {
    let kept: Uint8Array | undefined;
    const keeper: ProtocolModule = {
      ...lineProtocol,
      name: 'keeper',
      configSchema: protocolConfigSchema([1], {}),
      create: (): TcpPlugin => ({
        parse: (pkt, _t, _d, state) => {
          kept = pkt.payload;
          return state;
        },
        receivedFin: (_t, _d, state) => state,
        gapInStream: (_t, _d, _n, state) => ({ state, drop: false }),
        connectionClosed: () => undefined,
        counters: () => ({
          messages: 0,
          transactions: 0,
          errors: 0,
          unmatched_responses: 0,
          missing_responses: 0,
          gaps: 0,
        }),
      }),
    };
    new PluginDriver(keeper).data(0, 'abc');
    expect([...kept!]).toEqual([0xee, 0xee, 0xee]);
    new PluginDriver(keeper, {}, { poisonPayloads: false }).data(0, 'abc');
    expect(new TextDecoder().decode(kept)).toBe('abc');
  });
});
