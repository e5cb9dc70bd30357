// ISO-8601 timestamps for events. Date#toISOString costs more than the rest of an event's
// common fields together, so the date-and-minute prefix is cached: events come in time order.

let cachedMinute = NaN;
let cachedPrefix = '';

/** Formats ms since the epoch as 'YYYY-MM-DDTHH:MM:SS.mmmZ' (UTC), like Date#toISOString. */
export function formatTimestamp(ms: number): string {
  const minute = Math.floor(ms / 60_000);
  if (minute !== cachedMinute) {
    cachedMinute = minute;
    cachedPrefix = new Date(minute * 60_000).toISOString().slice(0, 17);
  }
  const rest = Math.floor(ms - minute * 60_000);
  const sec = (rest / 1000) | 0;
  const milli = rest - sec * 1000;
  return (
    cachedPrefix + (sec < 10 ? '0' : '') + sec + (milli < 10 ? '.00' : milli < 100 ? '.0' : '.') + milli + 'Z'
  );
}
