/** The capture filter for the configured ports: only TCP on those ports reaches JavaScript. */
export function buildBpfFilter(ports: readonly number[]): string {
  if (ports.length === 0) return 'tcp';
  const sorted = [...new Set(ports)].sort((a, b) => a - b);
  if (sorted.length === 1) return `tcp port ${sorted[0]}`;
  return `tcp and (${sorted.map((p) => `port ${p}`).join(' or ')})`;
}
