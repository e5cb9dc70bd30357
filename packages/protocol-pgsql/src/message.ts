// The messages the pgsql connection hands to the framework. A request is one SQL statement of a
// simple query, one Execute of the extended protocol, a Parse never executed, or a connection's
// startup, SSL/GSS request or cancel request. A response is everything the server sent for it:
// from the first message after the previous result up to its result (CommandComplete,
// EmptyQueryResponse, PortalSuspended, ErrorResponse) or, for requests without one (startup,
// Parse alone), up to ReadyForQuery.
import type { Message } from '@wirebeat/applayer';

/** What a request is. */
export type RequestKind =
  'statement' | 'execute' | 'parse' | 'startup' | 'ssl' | 'gssenc' | 'cancel' | 'function';

/** One pgsql request. */
export interface PgsqlRequest extends Message {
  kind: RequestKind;
  /** Query cycle: requests up to one ReadyForQuery share it (a simple query, or up to Sync). */
  cycle: number;
  /** Bytes charged to the pending-request budget when queued (size grows with COPY data after). */
  charged: number;
  /** The SQL text (statement of a simple query, the statement a Parse prepared). */
  query?: string;
  /** Packetbeat's method: the first word of the SQL, upper-case (STARTUP, SSLREQUEST... otherwise). */
  method: string;
  /** Name of the prepared statement executed, when named. */
  statementName?: string;
  /** Startup message: protocol version and parameters. */
  protocolVersion?: string;
  user?: string;
  database?: string;
  application?: string;
  /** Completed at ReadyForQuery without a result of its own after an error: not executed. */
  skipped?: boolean;
}

/** A server error or notice: severity, SQLSTATE and message. */
export interface PgsqlDiagnostic {
  severity: string;
  code: string;
  message: string;
}

/** One pgsql response (or a TLS/GSS answer, one byte). */
export interface PgsqlResponse extends Message {
  /** Query cycle it belongs to (pairs it with a request of the same cycle). */
  cycle: number;
  /** The one-byte answer to SSLRequest / GSSENCRequest: S or G accepted, N refused. */
  encryption?: 'accepted' | 'refused';
  /** Column names of the RowDescription. */
  columns?: string[];
  /** Column formats (0 text, 1 binary). */
  formats?: number[];
  /** DataRows seen. */
  dataRows: number;
  /** Rows kept for `response` (send_response), each cut at max_row_length. */
  rows?: string[][];
  /** CommandComplete tag (SELECT 3, INSERT 0 1...). */
  tag?: string;
  empty?: boolean;
  suspended?: boolean;
  error?: PgsqlDiagnostic;
  notices?: string[];
  /** Startup: how the server authenticated the client, and its version. */
  authMethod?: string;
  serverVersion?: string;
  /** COPY: in (client sends data) or out (server sends it). */
  copy?: 'in' | 'out' | 'both';
  /** Messages of substance (not only asynchronous ParameterStatus/Notice/Notification). */
  substantive: boolean;
}
