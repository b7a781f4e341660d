import { ArchiveUrlError } from '../../errors.js';

/**
 * Web archives that follow the Wayback Machine's addressing (web.archive.org, pywb, Archive-It, national archives)
 * serve a capture at `<archive>/<prefix>/<timestamp>[<flags>_]/<original URL>`. The shape is the evidence: a path
 * segment of 4 to 14 digits (a UTC timestamp, possibly cut short), an optional two-letter rewrite flag (`id_`, `im_`,
 * `js_`...), then the original URL, often with its scheme mangled (`https:/host`, `host/path`, percent-encoded).
 */

export interface ArchiveCapture {
  /** The archive's address up to the timestamp, e.g. `https://web.archive.org/web/`. */
  archive: string;
  /** The timestamp as written (4 to 14 digits). */
  timestamp: string;
  /** The start of the period the timestamp names, as ISO-8601 (`2019` is 2019-01-01T00:00:00Z). */
  capturedAt: string;
  /** How much of the timestamp was given. */
  precision: 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second';
  /** The rewrite flag without its underscore (`id`, `im`), when present. */
  flag?: string;
}

export interface UnwrappedUrl {
  /** The original URL (absolute, http or https), or the input unchanged when it is not an archive URL. */
  url: string;
  /** Set when the input was an archive URL. */
  capture?: ArchiveCapture;
}

const TIMESTAMP_SEGMENT = /^(\d+)([a-z]{2}_)?$/;
const EMBEDDED_SCHEME = /^(https?):\/*(.*)$/is;
const ENCODED_SCHEME = /^https?%3a/i;
/** `host.tld[:port]` followed by a path or nothing: an original URL written without its scheme. */
const HOST_LIKE = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+(?::\d+)?(?:[/?#]|$)/i;
const PRECISION: Record<number, ArchiveCapture['precision']> = { 4: 'year', 6: 'month', 8: 'day', 10: 'hour', 12: 'minute', 14: 'second' };
const MAX_NESTING = 3;

/**
 * Unwraps an archive URL to the original it captured (an archive of an archive too). A URL with no archive shape is
 * returned as it is. A URL that has the shape but cannot be read (a `/web/` path whose timestamp is no date, no
 * original URL after the timestamp) throws ArchiveUrlError naming the problem. Relative archive paths
 * (`/web/2019.../https://...`, as saved pages carry them) are read without a base.
 */
export function unwrapArchiveUrl(value: string): UnwrappedUrl {
  let current = value.trim();
  let capture: ArchiveCapture | undefined;
  for (let depth = 0; depth < MAX_NESTING; depth++) {
    const unwrapped = unwrapOnce(current);
    if (!unwrapped) break;
    current = unwrapped.url;
    // The outermost capture is the one whose time counts (an archive of an archive is captured when it was).
    capture ??= unwrapped.capture;
  }
  return capture ? { url: current, capture } : { url: current };
}

/** True when the value has an archive shape (whether or not it is well formed). */
export function looksLikeArchiveUrl(value: string): boolean {
  try {
    return unwrapOnce(value.trim()) !== undefined;
  } catch (error) {
    if (error instanceof ArchiveUrlError) return true;
    throw error;
  }
}

function unwrapOnce(value: string): { url: string; capture: ArchiveCapture } | undefined {
  const { origin, path } = splitOrigin(value);
  if (path === undefined) return undefined;
  const segments = path.split('/');
  // segments[0] is '' (the path starts with '/').
  for (let index = 1; index < segments.length - 1; index++) {
    const segment = segments[index]!;
    const rest = segments.slice(index + 1).join('/');
    const strict = isWaybackPrefix(segments, index, rest);
    const stamp = TIMESTAMP_SEGMENT.exec(segment);
    if (!stamp) {
      if (strict)
        throw new ArchiveUrlError(
          `Malformed archive URL ${quote(value)}: "${segment}" is not a capture timestamp (4 to 14 digits, e.g. 20200302130513)`,
        );
      continue;
    }
    const original = embeddedUrl(rest, strict);
    if (original === undefined) {
      if (strict) throw new ArchiveUrlError(`Malformed archive URL ${quote(value)}: no original URL after the timestamp ${segment}`);
      continue;
    }
    const timestamp = stamp[1]!;
    const capture: ArchiveCapture = {
      archive: `${origin}${segments.slice(0, index).join('/')}/`,
      timestamp,
      capturedAt: timestampToIso(timestamp, value),
      precision: precisionOf(timestamp, value),
      ...(stamp[2] ? { flag: stamp[2].slice(0, 2) } : {}),
    };
    return { url: original, capture };
  }
  // `/web/<timestamp>` with nothing after it.
  if (segments.length >= 3 && segments[1] === 'web' && /^\d/.test(segments[2] ?? '') && segments.slice(3).join('') === '') {
    throw new ArchiveUrlError(`Malformed archive URL ${quote(value)}: no original URL after the timestamp ${segments[2]}`);
  }
  return undefined;
}

/**
 * The Wayback Machine's own prefix, `/web/`, followed by something that is meant as a capture (a digit, or an embedded
 * URL further on): there a bad timestamp is an error, not just another path.
 */
function isWaybackPrefix(segments: readonly string[], index: number, rest: string): boolean {
  if (index !== 2 || segments[1] !== 'web') return false;
  return /^\d/.test(segments[index]!) || /https?:/i.test(rest) || ENCODED_SCHEME.test(rest);
}

/** The origin (`https://host`, or '' for a path) and the path with its query and fragment. */
function splitOrigin(value: string): { origin: string; path?: string } {
  if (value.startsWith('//')) return splitOrigin(`https:${value}`);
  if (value.startsWith('/')) return { origin: '', path: value };
  const match = /^([a-z][a-z0-9+.-]*:\/\/[^/?#]*)(\/.*)?$/i.exec(value);
  if (!match || !/^https?:/i.test(match[1]!)) return { origin: value };
  return match[2] === undefined ? { origin: match[1]! } : { origin: match[1]!, path: match[2] };
}

/**
 * The original URL embedded after the timestamp, repaired (scheme fixed, percent-decoded), or undefined. A host
 * written without a scheme is taken only after the Wayback Machine's own `/web/` prefix: elsewhere `2019/a.b.html`
 * is an ordinary path.
 */
function embeddedUrl(rest: string, allowMissingScheme: boolean): string | undefined {
  let candidate = rest;
  if (ENCODED_SCHEME.test(candidate)) {
    try {
      candidate = decodeURIComponent(candidate);
    } catch {
      return undefined;
    }
  }
  const scheme = EMBEDDED_SCHEME.exec(candidate);
  if (scheme) candidate = `${scheme[1]!.toLowerCase()}://${scheme[2]}`;
  else if (allowMissingScheme && HOST_LIKE.test(candidate)) candidate = `https://${candidate}`;
  else return undefined;
  try {
    const url = new URL(candidate);
    if (!url.hostname) return undefined;
    return url.toString();
  } catch {
    return undefined;
  }
}

function precisionOf(timestamp: string, value: string): ArchiveCapture['precision'] {
  const precision = PRECISION[timestamp.length];
  if (!precision) {
    throw new ArchiveUrlError(
      `Malformed archive URL ${quote(value)}: the timestamp ${timestamp} has ${timestamp.length} digits (expected 4, 6, 8, 10, 12 or 14)`,
    );
  }
  return precision;
}

/** `20200302130513` -> 2020-03-02T13:05:13.000Z; a shorter timestamp names the start of its period. */
function timestampToIso(timestamp: string, value: string): string {
  precisionOf(timestamp, value);
  const padded = timestamp.padEnd(14, '0');
  const field = (from: number, to: number) => Number(padded.slice(from, to));
  const year = field(0, 4);
  const month = timestamp.length >= 6 ? field(4, 6) : 1;
  const day = timestamp.length >= 8 ? field(6, 8) : 1;
  const [hour, minute, second] = [field(8, 10), field(10, 12), field(12, 14)];
  const time = Date.UTC(year, month - 1, day, hour, minute, second);
  const date = new Date(time);
  // Date.UTC rolls over (month 13, 31 February): a timestamp that does not come back unchanged is no date.
  if (
    year < 1991 ||
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day ||
    date.getUTCHours() !== hour ||
    date.getUTCMinutes() !== minute ||
    date.getUTCSeconds() !== second
  ) {
    throw new ArchiveUrlError(`Malformed archive URL ${quote(value)}: the timestamp ${timestamp} is not a date and time`);
  }
  return date.toISOString();
}

function quote(value: string): string {
  return JSON.stringify(value.length > 200 ? `${value.slice(0, 200)}...` : value);
}
