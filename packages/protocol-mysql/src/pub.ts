// MySQL transaction events: status as Packetbeat computes it, the mysql object, and the top-level
// method, query, path and params.
import type { Transaction, TransactionSummary } from '@wirebeat/applayer';
import type { MysqlRequest, MysqlResponse } from './message';

/** The SQL (or command) a request stands for: Packetbeat's `query`, also its `request` text. */
export function queryText(req: MysqlRequest): string {
  if (req.query !== undefined) return req.query.trim();
  switch (req.commandName) {
    case 'INIT_DB':
      return `USE ${req.argument ?? ''}`.trim();
    case 'FIELD_LIST':
      return `FIELD_LIST ${req.argument ?? ''}`.trim();
    default:
      return req.commandName;
  }
}

/** Packetbeat's `method`: the first word of the query, upper-cased. */
export function methodOf(query: string): string {
  const m = /^\S+/.exec(query);
  return m === null ? '' : m[0].toUpperCase();
}

/** OK unless the server answered with an error, or the answer is missing or cut short. */
export function mysqlStatus(req: MysqlRequest | undefined, resp: MysqlResponse | undefined): 'OK' | 'Error' {
  if (req === undefined || resp === undefined) return 'Error';
  if (req.truncated || resp.truncated) return 'Error';
  return resp.kind === 'error' ? 'Error' : 'OK';
}

/** Packetbeat's mysql object of a response. */
export function mysqlNamespace(resp: MysqlResponse): Record<string, unknown> {
  const o: Record<string, unknown> = {
    affected_rows: resp.affectedRows,
    insert_id: resp.insertId,
    num_fields: resp.numFields,
    num_rows: resp.numRows,
    iserror: resp.kind === 'error',
  };
  if (resp.kind === 'error') {
    o.error_code = resp.errorCode;
    o.error_message = resp.errorMessage;
  }
  return o;
}

/** Status, mysql object, top-level fields and event.action of one transaction. */
export function mysqlTransaction({
  request: req,
  response: resp,
}: Transaction<MysqlRequest, MysqlResponse>): TransactionSummary {
  const summary: TransactionSummary = { status: mysqlStatus(req, resp) };
  if (resp !== undefined) summary.fields = mysqlNamespace(resp);
  if (req !== undefined) {
    const query = queryText(req);
    summary.root = { method: methodOf(query), query, path: resp?.tables, params: req.params };
    summary.action = `mysql.${req.commandName.toLowerCase()}`;
  } else if (resp?.tables !== undefined) {
    summary.root = { path: resp.tables };
  }
  return summary;
}
