// `${VAR}` and `${VAR:default}` in config values, resolved from the environment as Beats do, so
// that secrets (passwords, API keys) stay out of the file. `$${` writes a literal `${`. A dotted
// name (`${path.data}`, as packetbeat.reference.yml's `queue.disk.path` uses) refers to another
// setting, as go-ucfg resolves it.
import { ConfigVariableError } from '../errors';
import { configPath } from './issues';
import { resolvePaths } from './paths';

/** A value that was exactly one reference (`port: ${PORT}`): typed like YAML, kept as text if the schema wants text. */
export interface TypedExpansion {
  path: (string | number)[];
  text: string;
}

const REFERENCE = /\$\$\{|\$\{([^}]*)\}|\$\{/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SETTING = /^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*)+$/;

/** The value of another setting as text (`path.data`), undefined when it is not set. */
export type SettingLookup = (dotted: string) => string | undefined;

/** Looks settings up in a raw config tree; path.* get their defaults (path.data = path.home/data ...). */
export function settingLookup(root: Record<string, unknown>): SettingLookup {
  return (dotted) => {
    let node: unknown = root;
    for (const seg of dotted.split('.')) {
      node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[seg] : undefined;
    }
    if (typeof node === 'string' || typeof node === 'number' || typeof node === 'boolean')
      return String(node);
    const m = /^path\.(home|config|data|logs)$/.exec(dotted);
    if (m === null) return undefined;
    const given = (root.path ?? {}) as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === 'string' && !v.includes('${') ? v : undefined);
    const paths = resolvePaths({
      home: str(given.home),
      config: str(given.config),
      data: str(given.data),
      logs: str(given.logs),
    });
    return paths[m[1] as 'home' | 'config' | 'data' | 'logs'];
  };
}

/** Expands the references of one string; `where` names the setting in errors. */
export function expandString(
  value: string,
  env: NodeJS.ProcessEnv,
  where: string,
  lookup?: SettingLookup,
): string {
  return value.replace(REFERENCE, (match: string, body: string | undefined) => {
    if (match === '$${') return '${';
    if (body === undefined)
      throw new ConfigVariableError(`${where}: unterminated \${ in ${JSON.stringify(value)}`);
    const colon = body.indexOf(':');
    const name = colon < 0 ? body : body.slice(0, colon);
    if (lookup !== undefined && SETTING.test(name)) {
      // A keystore key may be dotted too: it is looked up first, as for undotted names.
      const setting = env[name] ?? lookup(name);
      if (setting !== undefined) return setting;
      if (colon >= 0) return body.slice(colon + 1);
      throw new ConfigVariableError(`${where}: \${${name}} names no setting that is set`);
    }
    if (!NAME.test(name)) {
      throw new ConfigVariableError(`${where}: \${${body}} does not name an environment variable`);
    }
    const set = env[name];
    if (set !== undefined) return set;
    if (colon >= 0) return body.slice(colon + 1);
    throw new ConfigVariableError(
      `${where}: environment variable ${name} is not set (write \${${name}:default} to give a default)`,
    );
  });
}

/**
 * Replaces every reference in the string values of a raw config tree, in place. Returns the values
 * that were one whole reference, so the caller can type them (`${PORT}` -> 9200) when the schema wants it.
 */
export function expandEnvVars(
  node: unknown,
  env: NodeJS.ProcessEnv,
  path: (string | number)[] = [],
  whole: TypedExpansion[] = [],
  lookup: SettingLookup | undefined = node !== null && typeof node === 'object' && !Array.isArray(node)
    ? settingLookup(node as Record<string, unknown>)
    : undefined,
): TypedExpansion[] {
  if (node === null || typeof node !== 'object') return whole;
  const container = node as Record<string | number, unknown>;
  const keys: Array<string | number> = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node);
  for (const key of keys) {
    const value = container[key];
    const at = [...path, key];
    if (typeof value === 'string') {
      if (!value.includes('${')) continue;
      const text = expandString(value, env, configPath(at), lookup);
      container[key] = text;
      if (/^\$\{[^}]*\}$/.test(value)) whole.push({ path: at, text });
    } else {
      expandEnvVars(value, env, at, whole, lookup);
    }
  }
  return whole;
}
