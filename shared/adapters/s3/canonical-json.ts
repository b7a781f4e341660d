import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted at every level (undefined members dropped, as JSON.stringify does), so that equal
 * values serialise, and therefore hash, the same however they were built.
 *
 * Written out directly rather than as `JSON.stringify` of a key-sorted copy (the copy was most of the cost: a
 * Document is ~100 KB of JSON and is hashed on every capture). The output is the same byte for byte: keys that are
 * array indices ("0", "12") come first in numeric order, as an object built in sorted order would enumerate them;
 * Dates and anything else with a toJSON go through JSON.stringify as before.
 */
export function canonicalJson(value: unknown): string {
  return writeValue(value) as string;
}

export function sha256Hex(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

function writeValue(value: unknown): string | undefined {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) {
    if ('toJSON' in value) return JSON.stringify(sortKeys(value));
    let out = '[';
    for (let index = 0; index < value.length; index++) {
      if (index > 0) out += ',';
      out += writeValue(value[index]) ?? 'null';
    }
    return `${out}]`;
  }
  if ('toJSON' in value) return JSON.stringify(sortKeys(value));
  let out = '{';
  let first = true;
  for (const key of orderedKeys(value)) {
    // The sorted copy's `copy['__proto__'] = ...` set its prototype, not a member: the key never reached the JSON.
    if (key === '__proto__') continue;
    const member = writeValue((value as Record<string, unknown>)[key]);
    if (member === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(key)}:${member}`;
    first = false;
  }
  return `${out}}`;
}

/** Sorted keys, array-index keys first in numeric order (the order of an object the keys were added to in sort order). */
function orderedKeys(value: object): string[] {
  const keys = Object.keys(value).sort();
  if (!keys.some(isArrayIndex)) return keys;
  const indices = keys.filter(isArrayIndex).sort((a, b) => Number(a) - Number(b));
  return [...indices, ...keys.filter((key) => !isArrayIndex(key))];
}

function isArrayIndex(key: string): boolean {
  return /^(?:0|[1-9]\d{0,9})$/.test(key) && Number(key) < 4294967295;
}

/** The key-sorted copy, for the rare value with a toJSON of its own (JSON.stringify calls it as before). */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) sorted[key] = sortKeys((value as Record<string, unknown>)[key]);
    return sorted;
  }
  return value;
}
