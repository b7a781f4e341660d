import type { z } from 'zod';
import { ValidationError } from '../../errors.js';

/**
 * Validation shared by the query and subscription use cases and their callers (API, CLI): a zod failure becomes a
 * ValidationError whose message names the bad parameter first (`limit: ...`, `delivery.url: ...`).
 */
export function parseWithSchema<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.path.map(String).join('.');
  // A parameter that is not there at all is "required", not "expected number, received NaN".
  const missing = issue.code === 'invalid_type' && valueAt(value, issue.path) === undefined;
  throw new ValidationError(`${path || what}: ${missing ? 'required' : issue.message}`);
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

export const DEFAULT_PAGE_LIMIT = 20;
export const MAX_PAGE_LIMIT = 100;
