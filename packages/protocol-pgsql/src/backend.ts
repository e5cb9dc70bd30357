// What the server says: the messages of one response folded into a PgsqlResponse as they come.
import type { Direction, FlowTuple } from '@wirebeat/applayer';
import { authMethod, cstring, dataRow, diagnostic, rowDescription } from './decode';
import type { PgsqlResponse } from './message';

/** Notices kept per response. */
const MAX_NOTICES = 10;

/** Limits of what a response keeps for `response` (send_response). */
export interface RowLimits {
  keepRows: boolean;
  maxRows: number;
  maxRowLength: number;
}

/** A new, empty response of the server side of `tuple`. */
export function newResponse(tuple: FlowTuple, ts: number, cycle: number): PgsqlResponse {
  return {
    ts,
    tuple,
    transport: 'tcp',
    direction: 1 as Direction,
    isRequest: false,
    size: 0,
    cycle,
    dataRows: 0,
    substantive: false,
  };
}

/** Backend message types that end a response: its result. */
export function isResult(type: number): boolean {
  // C CommandComplete, I EmptyQueryResponse, s PortalSuspended, E ErrorResponse, V FunctionCallResponse
  return type === 0x43 || type === 0x49 || type === 0x73 || type === 0x45 || type === 0x56;
}

/** Messages the server may send at any time, outside any response. */
export function isAsync(type: number): boolean {
  // N NoticeResponse, S ParameterStatus, A NotificationResponse
  return type === 0x4e || type === 0x53 || type === 0x41;
}

/** Adds one backend message to `r`. */
export function fold(
  r: PgsqlResponse,
  type: number,
  body: Uint8Array,
  size: number,
  limits: RowLimits,
): void {
  r.size += size;
  if (!isAsync(type)) r.substantive = true;
  switch (type) {
    case 0x54: {
      // T RowDescription
      const { names, formats } = rowDescription(body);
      r.columns = names;
      r.formats = formats;
      break;
    }
    case 0x44: // D DataRow
      r.dataRows++;
      if (limits.keepRows && (r.rows ??= []).length < limits.maxRows)
        r.rows.push(dataRow(body, r.formats, limits.maxRowLength));
      break;
    case 0x43: // C CommandComplete
      r.tag = cstring(body, 0)[0];
      break;
    case 0x49: // I EmptyQueryResponse
      r.empty = true;
      break;
    case 0x73: // s PortalSuspended
      r.suspended = true;
      break;
    case 0x45: // E ErrorResponse
      r.error = diagnostic(body);
      break;
    case 0x4e: {
      // N NoticeResponse
      const n = diagnostic(body);
      if ((r.notices ??= []).length < MAX_NOTICES) r.notices.push(`${n.severity} ${n.code}: ${n.message}`);
      break;
    }
    case 0x52: {
      // R Authentication*: the first request names the method; 0 is AuthenticationOk.
      const method = authMethod(body);
      if (method !== undefined && method !== 'ok') r.authMethod = method;
      else if (method === 'ok') r.authMethod ??= 'trust';
      break;
    }
    case 0x53: {
      // S ParameterStatus
      const [name, next] = cstring(body, 0);
      if (name === 'server_version') r.serverVersion = cstring(body, next)[0];
      break;
    }
    case 0x47: // G CopyInResponse
      r.copy = 'in';
      break;
    case 0x48: // H CopyOutResponse
      r.copy = 'out';
      break;
    case 0x57: // W CopyBothResponse
      r.copy = 'both';
      break;
    case 0x64: // d CopyData (COPY TO STDOUT): one row each in text and CSV formats
      if (limits.keepRows && (r.rows ??= []).length < limits.maxRows)
        r.rows.push([cstringLine(body, limits.maxRowLength)]);
      break;
  }
}

/** A COPY data line without its newline, cut at `max` bytes. */
function cstringLine(body: Uint8Array, max: number): string {
  let end = Math.min(body.length, max);
  if (end > 0 && body[end - 1] === 0x0a) end--;
  return Buffer.from(body.subarray(0, end)).toString('utf8');
}

/** Rows affected or returned, from a CommandComplete tag (`INSERT 0 3`, `SELECT 2`...), else undefined. */
export function tagRows(tag: string): number | undefined {
  const sp = tag.lastIndexOf(' ');
  if (sp < 0) return undefined;
  const word = tag.slice(0, tag.indexOf(' '));
  if (!COUNTED.has(word)) return undefined;
  const n = Number(tag.slice(sp + 1));
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

const COUNTED = new Set(['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'MERGE', 'FETCH', 'MOVE', 'COPY']);
