import { ValidationError } from '../../errors.js';

/**
 * Opaque pagination cursors: base64url of the JSON of a DynamoDB key (or a small wrapper around one). Decoding
 * checks the shape, so a forged or stale cursor is a ValidationError and never reaches DynamoDB.
 */
const MAX_CURSOR_LENGTH = 2048;

export type ItemKey = Record<string, string>;

export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): unknown {
  if (typeof cursor !== 'string' || cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) {
    throw new ValidationError('Invalid cursor');
  }
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (error) {
    throw new ValidationError('Invalid cursor', { cause: error });
  }
}

/**
 * A key with exactly the given string attributes; `expected` pins attributes to the values of the current query
 * (its partition), so a cursor from another listing is refused.
 */
export function validateKey(value: unknown, attributes: readonly string[], expected: Record<string, string> = {}): ItemKey {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ValidationError('Invalid cursor');
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length !== attributes.length) throw new ValidationError('Invalid cursor');
  const key: ItemKey = {};
  for (const name of attributes) {
    const attribute = (value as Record<string, unknown>)[name];
    if (typeof attribute !== 'string' || attribute.length === 0 || attribute.length > 512) throw new ValidationError('Invalid cursor');
    if (name in expected && expected[name] !== attribute) throw new ValidationError('Cursor does not belong to this listing');
    key[name] = attribute;
  }
  return key;
}

export function decodeKeyCursor(cursor: string, attributes: readonly string[], expected: Record<string, string> = {}): ItemKey {
  return validateKey(decodeCursor(cursor), attributes, expected);
}
