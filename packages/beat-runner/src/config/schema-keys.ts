// The keys a zod schema knows at a config path, for "did you mean" on an unknown key.

/** The parts of a zod schema the walkers read. */
export interface ZodLike {
  /** A section whose schema loads on first use (the publisher's outputs): the loader. */
  loadsSchema?: () => ZodLike;
  _zod?: {
    def?: {
      innerType?: ZodLike;
      in?: ZodLike;
      element?: ZodLike;
      shape?: Record<string, ZodLike>;
      options?: ZodLike[];
    };
  };
}

/** The schema with default/prefault/optional/pipe wrappers (and lazy loading) removed. */
export function unwrap(s: ZodLike | undefined): ZodLike | undefined {
  let cur = s;
  for (let i = 0; i < 16 && cur?._zod?.def; i++) {
    const def = cur._zod.def;
    const next = cur.loadsSchema?.() ?? def.innerType ?? def.in;
    if (next === undefined) break;
    cur = next;
  }
  return cur;
}

/** Keys of the object schema found by following `path` (indices step into lists); empty when none. */
export function schemaKeysAt(schema: unknown, path: readonly (string | number)[]): string[] {
  let cur = unwrap(schema as ZodLike);
  for (const seg of path) {
    const def = cur?._zod?.def;
    if (def === undefined) return [];
    if (typeof seg === 'number' || /^\d+$/.test(String(seg))) cur = unwrap(def.element);
    else cur = unwrap(def.shape?.[String(seg)]);
  }
  return Object.keys(cur?._zod?.def?.shape ?? {});
}
