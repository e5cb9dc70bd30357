// user.name from HTTP Basic authentication, as Packetbeat publishes it (the password never).
import { headerValue, type HttpMessage } from './message';

/** The user name of a request's `Authorization: Basic` credentials, when it has some. */
export function basicAuthUser(req: HttpMessage): string | undefined {
  const auth = headerValue(req, 'authorization');
  if (auth === undefined || !/^basic\s/i.test(auth)) return undefined;
  const encoded = auth.slice(6).trim();
  if (!/^[A-Za-z0-9+/]+=*$/.test(encoded)) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon <= 0 ? undefined : decoded.slice(0, colon);
}
