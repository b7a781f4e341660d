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
  throw new ValidationError(`${path || what}: ${issue.message}`);
}

export const DEFAULT_PAGE_LIMIT = 20;
export const MAX_PAGE_LIMIT = 100;
