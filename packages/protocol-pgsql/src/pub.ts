// pgsql transaction events: Packetbeat's top-level method and query, its pgsql.* fields (rows,
// fields, error code, message and severity), and the request and response texts.
import type { Transaction, TransactionSummary } from '@wirebeat/applayer';
import { tagRows } from './backend';
import type { PgsqlRequest, PgsqlResponse } from './message';

/** The text published as `request`: the SQL, or what an opening message asked for. */
export function requestText(req: PgsqlRequest): string {
  if (req.query !== undefined) return req.query;
  if (req.kind === 'startup') {
    const parts = [`protocol ${req.protocolVersion}`];
    if (req.user !== undefined) parts.push(`user=${req.user}`);
    if (req.database !== undefined) parts.push(`database=${req.database}`);
    if (req.application !== undefined) parts.push(`application_name=${req.application}`);
    return parts.join(' ');
  }
  return req.method;
}

/** A CSV field (RFC 4180 quoting, as Packetbeat's CSV dump). */
function csv(value: string): string {
  return /[",\r\n]/.test(value) || value.startsWith(' ') ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * The text published as `response`: the error, else the columns and kept rows as CSV (as
 * Packetbeat), else the command tag or the encryption answer.
 */
export function responseText(r: PgsqlResponse): string {
  if (r.error !== undefined) return `${r.error.severity} ${r.error.code}: ${r.error.message}`;
  if (r.columns !== undefined || (r.rows !== undefined && r.copy === 'out')) {
    const lines = r.columns === undefined ? [] : [r.columns.map(csv).join(',')];
    for (const row of r.rows ?? []) lines.push(row.map(csv).join(','));
    return lines.join('\n') + '\n';
  }
  if (r.tag !== undefined) return r.tag;
  if (r.encryption !== undefined) return r.encryption;
  return '';
}

/** Status of a transaction: Error when the server reported one, a request went unanswered or was skipped. */
export function pgsqlStatus(req: PgsqlRequest | undefined, resp: PgsqlResponse | undefined): 'OK' | 'Error' {
  if (req === undefined) return 'Error';
  if (resp === undefined)
    return req.kind === 'cancel' || (req.kind === 'parse' && !req.skipped) ? 'OK' : 'Error';
  if (req.truncated || resp.truncated) return 'Error';
  return resp.error === undefined ? 'OK' : 'Error';
}

/** Status, top-level method and query, and the pgsql object of one transaction. */
export function pgsqlTransaction({
  request: req,
  response: resp,
}: Transaction<PgsqlRequest, PgsqlResponse>): TransactionSummary {
  const fields: Record<string, unknown> = {};
  if (resp !== undefined) {
    const rows = resp.tag === undefined ? undefined : tagRows(resp.tag);
    fields.num_rows = rows ?? resp.dataRows;
    fields.num_fields = resp.columns?.length ?? 0;
    if (resp.error !== undefined) {
      fields.error_code = resp.error.code;
      fields.error_message = resp.error.message;
      fields.error_severity = resp.error.severity;
    }
    if (resp.tag !== undefined) fields.command_tag = resp.tag;
    if (resp.notices !== undefined) fields.notices = resp.notices;
    if (resp.copy !== undefined) fields.copy = resp.copy;
    if (resp.encryption !== undefined) fields.encryption = resp.encryption;
    if (resp.authMethod !== undefined) fields.auth_method = resp.authMethod;
    if (resp.serverVersion !== undefined) fields.server_version = resp.serverVersion;
  }
  if (req !== undefined) {
    if (req.statementName !== undefined) fields.statement_name = req.statementName;
    if (req.protocolVersion !== undefined) fields.protocol_version = req.protocolVersion;
    if (req.application !== undefined) fields.application_name = req.application;
    if (req.user !== undefined) fields.user = req.user;
    if (req.database !== undefined) fields.database = req.database;
  }
  const root: Record<string, unknown> = {};
  if (req !== undefined) {
    // An empty query has no method (as Packetbeat's first word of nothing).
    if (req.method !== '') root.method = req.method;
    if (req.query !== undefined) root.query = req.query;
  }
  return { status: pgsqlStatus(req, resp), fields, root };
}
