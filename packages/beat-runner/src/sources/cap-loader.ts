// The only place that touches the native `cap` binding. It is an optional dependency: when it is
// missing or failed to build, live capture fails with one clear line and file replay still works.
import { CaptureUnavailableError } from '../errors';

/** The part of cap's Cap class the runner uses. */
export interface CapHandle {
  open(device: string, filter: string, bufSize: number, buffer: Buffer): string;
  close(): void;
  on(event: 'packet', listener: (nbytes: number, truncated: boolean) => void): unknown;
}

/** One capture device as cap lists it. */
export interface CapDevice {
  name: string;
  description?: string;
  addresses?: Array<{ addr: string; netmask?: string; broadaddr?: string }>;
  flags?: string;
}

/** The cap module's shape. */
export interface CapModule {
  Cap: { new (): CapHandle; deviceList(): CapDevice[] };
}

let cached: CapModule | undefined;

/** Loads cap once; throws CaptureUnavailableError naming why when it cannot be loaded. */
export function loadCap(): CapModule {
  if (cached) return cached;
  let mod: CapModule;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require('cap') as CapModule;
  } catch (err) {
    const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new CaptureUnavailableError(
      `live capture needs the optional package 'cap' (libpcap binding), which could not be loaded: ${why}; reading files with -I still works`,
    );
  }
  cached = mod;
  return mod;
}

/** Maps cap's link type names to LINKTYPE_* numbers. */
export function linktypeFromCap(name: string): number {
  switch (name) {
    case 'NULL':
      return 0;
    case 'ETHERNET':
      return 1;
    case 'RAW':
      return 101;
    case 'LINKTYPE_LINUX_SLL':
      return 113;
    case 'IEEE802_11_RADIO':
      return 127;
  }
  // cap reports other types as "Unknown linktype N" with the DLT number, equal to LINKTYPE for these.
  const m = /Unknown linktype (\d+)/.exec(name);
  if (m) return Number(m[1]);
  throw new CaptureUnavailableError(`unsupported link type from the capture library: ${name}`);
}
