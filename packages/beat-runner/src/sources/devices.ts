// `devices` prints the capture devices numbered from 0, and `-i N` picks one by that number, as
// Packetbeat does.
import { CaptureUnavailableError } from '../errors';
import type { CapDevice } from './cap-loader';

/** `0: lo (Loopback) (127.0.0.1, ::1)` lines, one per device. */
export function formatDeviceList(devices: readonly CapDevice[]): string {
  return devices
    .map((d, i) => {
      const desc = d.description ? ` (${d.description})` : ' (No description available)';
      const addrs = (d.addresses ?? []).map((a) => a.addr).filter(Boolean);
      return `${i}: ${d.name}${desc}${addrs.length > 0 ? ` (${addrs.join(' ')})` : ''}`;
    })
    .join('\n');
}

/** The device `spec` names: a device name, or a number from `devices` when no device has that name. */
export function resolveDeviceSpec(spec: string, devices: readonly CapDevice[]): string {
  if (!/^\d+$/.test(spec) || devices.some((d) => d.name === spec)) return spec;
  const d = devices[Number(spec)];
  if (d === undefined)
    throw new CaptureUnavailableError(
      `no capture device number ${spec} (\`devices\` lists ${devices.length === 0 ? 'none' : `0 to ${devices.length - 1}`})`,
    );
  return d.name;
}
