// url.query as Packetbeat builds it: the target's query and, for URL-encoded form bodies, the body's
// parameters; values of hide_keywords masked.
import { decodeUtf8 } from '@wirebeat/streambuf';
import { headerValue, type HttpMessage } from './message';

/** What Packetbeat publishes in place of a hidden parameter's value. */
export const HIDDEN_VALUE = 'xxxxx';

/** True when a request's body is an HTML form (application/x-www-form-urlencoded). */
export function isFormBody(msg: HttpMessage): boolean {
  return headerValue(msg, 'content-type')?.toLowerCase().includes('urlencoded') ?? false;
}

/** The kept body of a message as text. */
export function bodyText(msg: HttpMessage): string {
  let text = '';
  for (const part of msg.body) text += decodeUtf8(part);
  return text;
}

/** A query string (`a=1&b=2`) with the values of `hidden` parameters (lower-case names) replaced by xxxxx. */
export function hideParameters(query: string, hidden: ReadonlySet<string>): string {
  if (hidden.size === 0 || query === '') return query;
  return query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      return hidden.has(safeDecode(name).toLowerCase()) ? `${name}=${HIDDEN_VALUE}` : pair;
    })
    .join('&');
}

/** The target's query joined with a form body's parameters (Packetbeat's url.query), keywords hidden. */
export function queryWithForm(
  query: string | undefined,
  req: HttpMessage,
  hidden: ReadonlySet<string>,
): string | undefined {
  const form = req.isRequest && isFormBody(req) ? bodyText(req).replace(/[\r\n]+$/, '') : '';
  // No form (most requests): the target's query alone, nothing joined.
  if (form === '') return query === undefined || query === '' ? query : hideParameters(query, hidden);
  const joined = [query, form].filter((q) => q !== undefined && q !== '').join('&');
  if (joined === '') return query;
  return hideParameters(joined, hidden);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}
