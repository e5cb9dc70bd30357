// The registered-domain parts of a question name, from the Public Suffix List (tldts embeds it;
// private suffixes count, as in Packetbeat's Go publicsuffix package).
import { parse } from 'tldts';

/** dns.question's etld_plus_one and ECS registered_domain (both without final dot, as Packetbeat), top_level_domain, subdomain. */
export interface DomainParts {
  etld_plus_one?: string;
  registered_domain?: string;
  top_level_domain?: string;
  subdomain?: string;
}

const OPTIONS = { allowPrivateDomains: true, extractHostname: false, validateHostname: false } as const;

/** Names looked up lately: most traffic asks the same names again and again. */
const recent = new Map<string, DomainParts>();
const RECENT_MAX = 16384;

/** The parts of `name` (with or without its final dot); empty when it has no registered domain. */
export function domainParts(name: string): DomainParts {
  let parts = recent.get(name);
  if (parts === undefined) {
    // Cleared whole when full: cheaper than tracking use, and refilled at once by busy names.
    if (recent.size >= RECENT_MAX) recent.clear();
    parts = lookUp(name);
    recent.set(name, parts);
  }
  return parts;
}

function lookUp(name: string): DomainParts {
  const bare = name.endsWith('.') ? name.slice(0, -1) : name;
  if (bare === '' || bare.includes('\\')) return {};
  const p = parse(bare.toLowerCase(), OPTIONS);
  if (p.domain === null || p.publicSuffix === null) return {};
  // The list is looked up in lower case; the parts keep the name's own case, as Packetbeat's do.
  const domain = bare.slice(bare.length - p.domain.length);
  const parts: DomainParts = {
    etld_plus_one: domain,
    registered_domain: domain,
    top_level_domain: bare.slice(bare.length - p.publicSuffix.length),
  };
  const sub = bare.length - domain.length - 1;
  if (sub > 0) parts.subdomain = bare.slice(0, sub);
  return parts;
}
