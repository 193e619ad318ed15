import { z } from 'zod';

type WithoutDefault<T extends z.ZodType> = T extends z.ZodDefault<infer Inner> ? z.ZodOptional<Inner> : z.ZodOptional<T>;

/**
 * The fields of a create input as an update input: every field optional and without its default. (zod applies a
 * default even inside `.optional()`, so `x.default(0).optional()` turns an omitted field into 0, and an update would
 * reset what the caller left out.)
 */
export function withoutDefaults<F extends Record<string, z.ZodType>>(fields: F): { [K in keyof F]: WithoutDefault<F[K]> } {
  return Object.fromEntries(
    Object.entries(fields).map(([k, v]) => [k, v instanceof z.ZodDefault ? (v.unwrap() as z.ZodType).optional() : v.optional()]),
  ) as { [K in keyof F]: WithoutDefault<F[K]> };
}
