// Protocol names end up in many places at once: a package name (`protocol-<name>`), file names
// (`<name>.ts`), JavaScript identifiers (`<name>Protocol`), the event's `type` and its namespace
// object. One conservative rule keeps all of them valid.
import { InvalidNameError } from './errors';

/** Lowercase letter first, then lowercase letters, digits and single underscores. */
const NAME_PATTERN = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/;
const MAX_NAME_LENGTH = 40;

/** ECMAScript reserved words: the name is used bare as an identifier in generated code. */
const RESERVED_WORDS = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally ' +
    'for function if import in instanceof new null return super switch this throw true try typeof var void ' +
    'while with yield let static implements interface package private protected public await arguments eval ' +
    'undefined nan infinity'
  ).split(' '),
);

/**
 * Top-level event fields (and the `template` placeholder itself): a protocol namespace object
 * with one of these names would overwrite a common field of every event.
 */
const RESERVED_FIELD_NAMES = new Set([
  'type',
  'status',
  'responsetime',
  'bytes_in',
  'bytes_out',
  'source',
  'destination',
  'client',
  'server',
  'network',
  'event',
  'request',
  'response',
  'notes',
  'related',
  'host',
  'agent',
  'ecs',
  'process',
  'tags',
  'labels',
  'message',
  'error',
  'template',
  'protocol',
]);

/** Throws InvalidNameError unless `name` can be used as a protocol name. */
export function validateProtocolName(name: string): void {
  if (name.length === 0) throw new InvalidNameError(name, 'the name is empty');
  if (name.length > MAX_NAME_LENGTH)
    throw new InvalidNameError(name, `longer than ${MAX_NAME_LENGTH} characters`);
  if (!NAME_PATTERN.test(name)) {
    throw new InvalidNameError(
      name,
      'use a lowercase letter followed by lowercase letters, digits or single underscores (e.g. "ping", "my_proto")',
    );
  }
  if (RESERVED_WORDS.has(name)) throw new InvalidNameError(name, 'it is a reserved word in JavaScript');
  if (RESERVED_FIELD_NAMES.has(name)) {
    throw new InvalidNameError(
      name,
      'it is reserved (it would clash with a common event field or the template)',
    );
  }
}

/** `my_proto` -> `MyProto`: class and type names in generated code. */
export function pascalCase(name: string): string {
  return name
    .split('_')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/** `my_proto` -> `MY_PROTO`: constant names in generated code. */
export function constantCase(name: string): string {
  return name.toUpperCase();
}

/** npm scope check: `@scope` or `scope`, returned without the `@`. */
export function normaliseScope(scope: string): string {
  const bare = scope.startsWith('@') ? scope.slice(1) : scope;
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(bare)) throw new InvalidNameError(scope, 'not a valid npm scope');
  return bare;
}
