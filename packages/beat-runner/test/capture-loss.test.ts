// CaptureLossMonitor on its own: reassembler counters in, warnings and counters out.
import { CaptureLossMonitor, loadConfig } from '../src/internal';

function monitor(warnEveryMs = 10_000, droppedPackets?: () => number) {
  const warnings: Array<{ fields: Record<string, unknown>; msg: string }> = [];
  const m = new CaptureLossMonitor({
    droppedPackets,
    warn: (fields, msg) => warnings.push({ fields, msg }),
    device: 'lo',
    bufferSetting: 'pb.interfaces.buffer_size_mb',
    bufferSizeMb: 64,
    warnEveryMs,
  });
  return { m, warnings };
}

describe('CaptureLossMonitor', () => {
  it('stays silent while no acknowledged byte is missing; snaplen cuts are not loss', () => {
    const { m, warnings } = monitor();
    m.check({ gapBytes: 0, snaplenCutBytes: 0 }, 0);
    m.check({ gapBytes: 500, snaplenCutBytes: 500 }, 1000);
    expect(warnings).toEqual([]);
    expect(m.counters()).toEqual({
      capture_missed_bytes: 0,
      capture_loss_warnings: 0,
      capture_dropped_packets: 0,
    });
  });

  it('warns with the bytes missed and the setting to raise, at most once per period', () => {
    const { m, warnings } = monitor(10_000);
    m.check({ gapBytes: 1200, snaplenCutBytes: 200 }, 0);
    m.check({ gapBytes: 3200, snaplenCutBytes: 200 }, 5000);
    expect(warnings).toHaveLength(1);
    expect(warnings[0].msg).toBe(
      'capture on lo missed 1000 bytes that the TCP peers exchanged (the kernel dropped packets before they ' +
        'were read); transactions were lost: raise pb.interfaces.buffer_size_mb (now 64)',
    );
    m.check({ gapBytes: 3200, snaplenCutBytes: 200 }, 10_000);
    expect(warnings).toHaveLength(2);
    expect(warnings[1].fields).toMatchObject({ missedBytes: 2000, totalMissedBytes: 3000 });
    expect(m.counters()).toEqual({
      capture_missed_bytes: 3000,
      capture_loss_warnings: 2,
      capture_dropped_packets: 0,
    });
  });

  it('counts the packets the capture process dropped and says the beat fell behind', () => {
    let dropped = 0;
    const { m, warnings } = monitor(10_000, () => dropped);
    m.check({ gapBytes: 0, snaplenCutBytes: 0 }, 0);
    expect(warnings).toEqual([]);
    dropped = 17;
    m.check({ gapBytes: 900, snaplenCutBytes: 0 }, 1000);
    expect(m.counters()).toEqual({
      capture_missed_bytes: 900,
      capture_loss_warnings: 1,
      capture_dropped_packets: 17,
    });
    expect(warnings.map((w) => w.msg)).toEqual([
      'capture on lo dropped 17 packets that the beat did not read in time (its output or workers fell ' +
        'behind for long); transactions were lost',
    ]);
  });
});

describe('capture process priority', () => {
  it("keeps the beat's niceness unless configured; accepts -20..19 only", () => {
    expect(loadConfig({ beatName: 'pb' }).beat.interfaces.capture_nice).toBeUndefined();
    const set = loadConfig({ beatName: 'pb', overrides: ['pb.interfaces.capture_nice=-5'] });
    expect(set.beat.interfaces.capture_nice).toBe(-5);
    expect(() => loadConfig({ beatName: 'pb', overrides: ['pb.interfaces.capture_nice=20'] })).toThrow(
      /capture_nice/,
    );
  });
});

describe('capture buffer default', () => {
  it('holds about a thousand 64 KiB ring slots (immediate mode), like Packetbeat tens of MiB', () => {
    expect(loadConfig({ beatName: 'pb' }).beat.interfaces.buffer_size_mb).toBe(64);
  });
});
