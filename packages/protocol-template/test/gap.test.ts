// Bytes lost in a stream (a gap the reassembler could not fill): the transaction they hit is
// published with a note (the gap here ends inside a message), no response is ever paired with another request, nothing is dropped silently.
import { PluginDriver } from '@wirebeat/testing';
import { templateProtocol } from '../src';
import { SAMPLE_PORT } from './sample-capture';
import { encodeRequest, encodeResponse } from './wire';

const config = { ports: [SAMPLE_PORT], send_request: true, send_response: true };
const bodies = ['first', 'second', 'third', 'fourth'];

describe('gaps in the stream', () => {
  it('a gap inside a response: that transaction has a note, no request gets a wrong response', () => {
    const driver = new PluginDriver(templateProtocol, config);
    for (const body of bodies) driver.data(0, encodeRequest(body));
    driver.data(1, encodeResponse('first'));
    const second = encodeResponse('second');
    // The gap swallows the middle of the second response; its last byte arrives.
    driver.data(1, second.subarray(0, 2));
    driver.gap(1, second.length - 3);
    driver.data(1, second.subarray(second.length - 1));
    driver.data(1, encodeResponse('third'));
    driver.data(1, encodeResponse('fourth'));
    const events = driver.close('fin').map((event) => event.fields);

    expect(events[0]).toMatchObject({ status: 'OK', request: 'first', response: 'first' });
    for (const event of events) if (event.status === 'OK') expect(event.response).toBe(event.request);
    const hit = events.find((event) => event.request === 'second')!;
    expect(hit.status).toBe('Error');
    // In order, the gap's note; paired by key, the cut response (its key cut too) answers nothing
    // and the request's response is missing.
    expect(hit.notes).toEqual([expect.stringMatching(/gap|response missing/)]);
    // Every request is published exactly once, answered or not.
    expect(
      events
        .map((event) => event.request)
        .filter(Boolean)
        .sort(),
    ).toEqual([...bodies].sort());
  });

  it('a gap inside a request: its response is not paired with another request', () => {
    const driver = new PluginDriver(templateProtocol, config);
    driver.data(0, encodeRequest('first'));
    const second = encodeRequest('second');
    driver.data(0, second.subarray(0, 3));
    driver.gap(0, second.length - 4);
    driver.data(0, second.subarray(second.length - 1));
    driver.data(0, encodeRequest('third'));
    driver.data(1, encodeResponse('first'));
    driver.data(1, encodeResponse('second'));
    driver.data(1, encodeResponse('third'));
    const events = driver.close('fin').map((event) => event.fields);

    expect(events[0]).toMatchObject({ status: 'OK', request: 'first', response: 'first' });
    for (const event of events) if (event.status === 'OK') expect(event.response).toBe(event.request);
    expect(
      events.some((event) => (event.notes as string[] | undefined)?.some((note) => /gap/.test(note))),
    ).toBe(true);
  });
});

describe('messages longer than max_message_size', () => {
  it('are published as missing with a note, and the rest of the connection is not mis-paired', () => {
    const driver = new PluginDriver(templateProtocol, { ...config, max_message_size: 16 });
    driver.data(0, encodeRequest('short'));
    driver.data(1, encodeResponse('short'));
    // Split so that it has to wait for its end: the limit is on what is buffered.
    const long = encodeRequest('x'.repeat(40));
    driver.chunks(0, [long.subarray(0, 10), long.subarray(10, 30), long.subarray(30)]);
    driver.data(1, encodeResponse('late'));
    const events = driver.close('fin').map((event) => event.fields);
    expect(events[0]).toMatchObject({ status: 'OK', request: 'short', response: 'short' });
    for (const event of events) if (event.status === 'OK') expect(event.response).toBe(event.request);
    expect(
      events.some((event) =>
        (event.notes as string[] | undefined)?.some((note) => /max_message_size/.test(note)),
      ),
    ).toBe(true);
  });
});
