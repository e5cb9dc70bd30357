// Client failures as one line, and the ones that are configuration problems (wrong credentials, a
// certificate that does not verify): no retry can cure those, so the start-up check ends the run.
import type { KafkaOutputConfig } from './schema';

/** The parts of the client's errors we read (MultipleErrors nest `errors`, the rest `cause`). */
interface ErrorLink {
  message?: unknown;
  code?: unknown;
  errors?: unknown;
  cause?: unknown;
  response?: { errorMessage?: unknown };
}

/** Every error of the chain, depth first: the error, its nested errors, then its cause. */
function* errorChain(e: unknown, depth = 0): Generator<ErrorLink> {
  if (e === null || typeof e !== 'object' || depth > 8) return;
  const link = e as ErrorLink;
  yield link;
  if (Array.isArray(link.errors)) for (const x of link.errors) yield* errorChain(x, depth + 1);
  yield* errorChain(link.cause, depth + 1);
}

/** Codes Node's TLS layer gives a server certificate it refuses (OpenSSL's verify results, host name). */
const TLS_VERIFICATION_CODE =
  /^(ERR_TLS_CERT_|CERT_|UNABLE_TO_(VERIFY|GET)_|SELF_SIGNED_|DEPTH_ZERO_SELF_SIGNED|INVALID_PURPOSE)/;

/** A message on one line, without its final period or colon (we append to it). */
const text = (m: unknown) => String(m).replace(/\s+/g, ' ').trim().replace(/[.:]$/, '');

/**
 * One line for a client error: its message and, along the first nested error or cause, the inner
 * ones (`Cannot connect to any broker: Connection to h:p failed: connect ECONNREFUSED h:p`).
 */
export function describeKafkaError(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const parts: string[] = [];
  let link: unknown = e;
  for (let depth = 0; link instanceof Error && depth < 6; depth++) {
    const m = text(link.message);
    if (m !== '' && m !== parts[parts.length - 1]) parts.push(m);
    const nested = (link as ErrorLink).errors;
    link = Array.isArray(nested) && nested.length > 0 ? nested[0] : link.cause;
  }
  return parts.join(': ');
}

/** A failure the configuration must fix: `tls` says whether it is the certificate's. */
export interface SecurityProblem {
  line: string;
  tls: boolean;
}

/** The wrong-credentials or certificate failure inside `e`, as one line; undefined for other failures. */
export function securityProblem(e: unknown, cfg: KafkaOutputConfig): SecurityProblem | undefined {
  for (const link of errorChain(e)) {
    if (link.code === 'PLT_KFK_AUTHENTICATION') {
      // The broker says why in its SaslAuthenticate response; else the innermost error does.
      let reason = text(link.message);
      let brokerSays: string | undefined;
      for (const inner of errorChain(link.cause)) {
        if (typeof inner.response?.errorMessage === 'string') brokerSays = text(inner.response.errorMessage);
        else if (inner.message) reason = text(inner.message);
      }
      reason = brokerSays ?? reason;
      const mechanism = cfg.sasl?.mechanism ?? 'PLAIN';
      return { line: `SASL ${mechanism} authentication of ${cfg.username} failed: ${reason}`, tls: false };
    }
    if (typeof link.code === 'string' && TLS_VERIFICATION_CODE.test(link.code)) {
      return {
        line:
          `TLS verification failed: ${text(link.message)} (trust the brokers' CA with ` +
          'output.kafka.ssl.certificate_authorities, or set ssl.verification_mode)',
        tls: true,
      };
    }
  }
  return undefined;
}
