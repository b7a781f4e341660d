/**
 * Which encoding an HTML body is in, following the order browsers use (WHATWG HTML "encoding sniffing"):
 * a byte order mark, then the Content-Type charset, then a <meta charset> or http-equiv in the first 2 KB, then UTF-8.
 * The BOM wins over the header as it does in browsers: a body that starts with one was written in that encoding.
 */

export type CharsetSource = 'bom' | 'content-type' | 'meta' | 'default';

export interface DecodedHtml {
  text: string;
  /** The WHATWG encoding name (`iso-8859-1` and `us-ascii` are `windows-1252` there, as in every browser). */
  charset: string;
  source: CharsetSource;
}

const PRESCAN_BYTES = 2048;

export function decodeHtml(bytes: Uint8Array, contentType: string | undefined): DecodedHtml {
  const { encoding, source } = detectEncoding(bytes, contentType);
  // Not fatal: a stray invalid byte becomes U+FFFD instead of failing the capture.
  const text = new TextDecoder(encoding).decode(bytes);
  return { text, charset: encoding, source };
}

export function detectEncoding(bytes: Uint8Array, contentType: string | undefined): { encoding: string; source: CharsetSource } {
  const fromBom = sniffByteOrderMark(bytes);
  if (fromBom !== undefined) return { encoding: fromBom, source: 'bom' };
  const fromHeader = resolveEncoding(charsetParameter(contentType));
  if (fromHeader !== undefined) return { encoding: fromHeader, source: 'content-type' };
  const fromMeta = resolveEncoding(prescanMetaCharset(bytes));
  if (fromMeta !== undefined) {
    // An ASCII-compatible <meta> cannot truthfully declare UTF-16; x-user-defined is windows-1252 for documents.
    if (fromMeta.startsWith('utf-16')) return { encoding: 'utf-8', source: 'meta' };
    if (fromMeta === 'x-user-defined') return { encoding: 'windows-1252', source: 'meta' };
    return { encoding: fromMeta, source: 'meta' };
  }
  return { encoding: 'utf-8', source: 'default' };
}

/** The WHATWG name for a charset label, or undefined for a missing or unknown label (no exception). */
export function resolveEncoding(label: string | undefined): string | undefined {
  if (label === undefined || label.trim() === '') return undefined;
  try {
    return new TextDecoder(label.trim()).encoding;
  } catch {
    return undefined;
  }
}

export function charsetParameter(contentType: string | undefined): string | undefined {
  if (contentType === undefined) return undefined;
  const match = /;\s*charset\s*=\s*(?:"([^"]*)"|([^\s;]+))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}

function sniffByteOrderMark(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  return undefined;
}

/** A simplified WHATWG meta prescan: comments are skipped, the first <meta> with a charset wins. */
export function prescanMetaCharset(bytes: Uint8Array): string | undefined {
  const head = new TextDecoder('windows-1252').decode(bytes.subarray(0, PRESCAN_BYTES)).replace(/<!--[\s\S]*?(?:-->|$)/g, '');
  for (const [tag] of head.matchAll(/<meta[\s/][^>]*>?/gi)) {
    const charset = attribute(tag, 'charset');
    if (charset !== undefined && charset !== '') return charset;
    const httpEquiv = attribute(tag, 'http-equiv');
    const content = attribute(tag, 'content');
    if (httpEquiv?.toLowerCase() === 'content-type' && content !== undefined) {
      const match = /charset\s*=\s*["']?([^\s"';]+)/i.exec(content);
      if (match?.[1] !== undefined) return match[1];
    }
  }
  return undefined;
}

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`[\\s/"']${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s"'>]+))`, 'i').exec(tag);
  if (match === null) return undefined;
  return (match[1] ?? match[2] ?? match[3] ?? '').trim();
}
