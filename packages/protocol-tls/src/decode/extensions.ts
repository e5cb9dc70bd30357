// Hello extensions: what each means, as Packetbeat's tls.detailed.*.extensions shows it (under the
// same labels), and the code points the fingerprints need. GREASE extensions are skipped.
import { groupName, isGrease, pointFormatName, signatureSchemeName, versionName } from '../names';
import { ByteReader } from './reader';

/** What the extensions of one hello say. */
export interface HelloExtensions {
  /** Extension types in order, GREASE left out (JA3, JA4). */
  types: number[];
  /** Parsed extensions by label (tls.detailed.*.extensions), with `_unparsed_` listing the others. */
  parsed: Record<string, unknown>;
  serverNames?: string[];
  alpn?: string[];
  /** supported_groups and ec_points_formats code points, GREASE left out (JA3). */
  groups?: number[];
  pointFormats?: number[];
  /** signature_algorithms code points (JA4). */
  signatureSchemes?: number[];
  /** Client: versions offered; server: the version chosen. */
  versions?: number[];
  /** session_ticket: its length (0 when empty, the client asking for a ticket). */
  ticketLength?: number;
  /** key_share groups (client: offered; server: chosen). */
  keyShare?: number[];
  /** pre_shared_key: the server accepted a PSK (TLS 1.3 resumption). */
  pskAccepted?: boolean;
}

type Parse = (r: ByteReader, ext: HelloExtensions, client: boolean) => unknown;

/** A list of 2-byte code points behind a 2-byte length, GREASE left out. */
function codes16(r: ByteReader): number[] {
  const list = r.vector(2);
  const out: number[] = [];
  while (list.left >= 2) {
    const v = list.u16();
    if (!isGrease(v)) out.push(v);
  }
  return out;
}

const sni: Parse = (r, ext) => {
  const list = r.vector(2);
  const names: string[] = [];
  while (list.left >= 3) {
    const type = list.u8();
    const name = list.text(list.u16());
    if (type === 0) names.push(name);
  }
  ext.serverNames = names;
  return names;
};

const alpn: Parse = (r, ext) => {
  const list = r.vector(2);
  const ids: string[] = [];
  while (list.left > 0) ids.push(list.text(list.u8()));
  ext.alpn = ids;
  return ids;
};

const groups: Parse = (r, ext) => (ext.groups = codes16(r)).map(groupName);

const pointFormats: Parse = (r, ext) => {
  const list = r.vector(1);
  const out: number[] = [];
  while (list.left > 0) out.push(list.u8());
  ext.pointFormats = out;
  return out.map(pointFormatName);
};

const signatureAlgorithms: Parse = (r, ext) => (ext.signatureSchemes = codes16(r)).map(signatureSchemeName);

const supportedVersions: Parse = (r, ext, client) => {
  if (!client) {
    const v = r.u16();
    ext.versions = [v];
    return versionName(v);
  }
  const list = r.vector(1);
  const out: number[] = [];
  while (list.left >= 2) {
    const v = list.u16();
    if (!isGrease(v)) out.push(v);
  }
  ext.versions = out;
  return out.map(versionName);
};

const ticket: Parse = (r, ext) => {
  ext.ticketLength = r.left;
  return r.left > 0 ? `(${r.left} bytes)` : '';
};

const empty: Parse = (r) => (r.left === 0 ? '' : `(expected empty: found ${r.left} bytes)`);

const maxFragmentLength: Parse = (r) => {
  const v = r.u8();
  return v > 0 && v < 5 ? `2^${8 + v}` : `(unknown:${v})`;
};

const statusRequest: Parse = (r) => {
  if (r.left === 0) return { response: true };
  const type = r.u8();
  const responders = r.u16();
  r.sub(responders);
  return {
    type: type === 1 ? 'ocsp' : String(type),
    responder_id_list_length: responders,
    request_extensions: r.u16(),
  };
};

const keyShare: Parse = (r, ext, client) => {
  if (!client) {
    // ServerHello: one entry; a HelloRetryRequest names the group alone.
    const g = r.u16();
    ext.keyShare = [g];
    return groupName(g);
  }
  const list = r.vector(2);
  const out: number[] = [];
  while (list.left >= 4) {
    const g = list.u16();
    list.sub(list.u16());
    if (!isGrease(g)) out.push(g);
  }
  ext.keyShare = out;
  return out.map(groupName);
};

const preSharedKey: Parse = (r, ext, client) => {
  if (!client) {
    ext.pskAccepted = true;
    return { selected_identity: r.u16() };
  }
  const ids = r.vector(2);
  let n = 0;
  while (ids.left >= 2) {
    ids.sub(ids.u16());
    ids.sub(4);
    n++;
  }
  return { identities: n };
};

const pskModes: Parse = (r) => {
  const list = r.vector(1);
  const out: string[] = [];
  while (list.left > 0) {
    const m = list.u8();
    out.push(m === 0 ? 'psk_ke' : m === 1 ? 'psk_dhe_ke' : `(unknown:${m})`);
  }
  return out;
};

const recordSizeLimit: Parse = (r) => r.u16();

/** Extensions by type: their label and, for those shown, their parser. */
const EXTENSIONS = new Map<number, [string, Parse | undefined]>([
  [0, ['server_name_indication', sni]],
  [1, ['max_fragment_length', maxFragmentLength]],
  [2, ['client_certificate_url', empty]],
  [3, ['trusted_ca_keys', undefined]],
  [4, ['truncated_hmac', empty]],
  [5, ['status_request', statusRequest]],
  [10, ['supported_groups', groups]],
  [11, ['ec_points_formats', pointFormats]],
  [13, ['signature_algorithms', signatureAlgorithms]],
  [16, ['application_layer_protocol_negotiation', alpn]],
  [18, ['signed_certificate_timestamp', undefined]],
  [21, ['padding', undefined]],
  [22, ['encrypt_then_mac', empty]],
  [23, ['extended_master_secret', empty]],
  [27, ['compress_certificate', undefined]],
  [28, ['record_size_limit', recordSizeLimit]],
  [35, ['session_ticket', ticket]],
  [41, ['pre_shared_key', preSharedKey]],
  [42, ['early_data', undefined]],
  [43, ['supported_versions', supportedVersions]],
  [45, ['psk_key_exchange_modes', pskModes]],
  [49, ['post_handshake_auth', empty]],
  [50, ['signature_algorithms_cert', signatureAlgorithms]],
  [51, ['key_share', keyShare]],
  [17513, ['application_settings', undefined]],
  [65037, ['encrypted_client_hello', undefined]],
  [0xff01, ['renegotiation_info', undefined]],
]);

/** Decodes the extensions block of a hello (absent: none). */
export function decodeExtensions(r: ByteReader, client: boolean): HelloExtensions {
  const ext: HelloExtensions = { types: [], parsed: {} };
  if (r.left < 2) return ext;
  const all = r.vector(2);
  const unparsed: string[] = [];
  while (all.left >= 4) {
    const type = all.u16();
    const body = all.vector(2);
    if (isGrease(type)) continue;
    ext.types.push(type);
    const known = EXTENSIONS.get(type);
    const label = known?.[0] ?? String(type);
    // signature_algorithms_cert is shown, but must not replace signature_algorithms' code points.
    const value = known?.[1] === undefined ? undefined : decodeOne(known[1], body, ext, client, type);
    if (value === undefined) unparsed.push(label);
    else ext.parsed[label] = value;
  }
  if (unparsed.length > 0) ext.parsed._unparsed_ = unparsed;
  return ext;
}

/** One extension's value; undefined when its body is malformed (it is then listed as unparsed). */
function decodeOne(
  parse: Parse,
  body: ByteReader,
  ext: HelloExtensions,
  client: boolean,
  type: number,
): unknown {
  const keep = ext.signatureSchemes;
  try {
    return parse(body, ext, client);
  } catch {
    return undefined;
  } finally {
    if (type === 50) ext.signatureSchemes = keep;
  }
}
