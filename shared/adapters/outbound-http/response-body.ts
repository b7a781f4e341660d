import { pipeline, Transform, type Readable } from 'node:stream';
import zlib from 'node:zlib';

/** The body went over the byte cap; `stage` says whether the wire bytes or the decompressed bytes did. */
export class BodyTooLargeError extends Error {
  readonly code = 'REDLINE_BODY_TOO_LARGE';
  constructor(
    readonly limitBytes: number,
    readonly stage: 'received' | 'decompressed',
  ) {
    super(`Body exceeds ${limitBytes} bytes (${stage})`);
    this.name = 'BodyTooLargeError';
  }
}

export class UnsupportedContentEncodingError extends Error {
  readonly code = 'REDLINE_UNSUPPORTED_CONTENT_ENCODING';
  constructor(readonly coding: string) {
    super(`Unsupported Content-Encoding ${coding}`);
    this.name = 'UnsupportedContentEncodingError';
  }
}

/** What redline asks for: only codings it undoes itself below. */
export const ACCEPT_ENCODING = 'gzip, br';

export interface ReadBodyOptions {
  maxBytes: number;
  /** `throw` (pages): BodyTooLargeError. `truncate` (robots.txt, RFC 9309 allows a cap): keep the first maxBytes. */
  onOverflow: 'throw' | 'truncate';
}

export interface BodyBytes {
  bytes: Uint8Array;
  truncated: boolean;
}

/**
 * Read a response body, undoing its Content-Encoding, and stop as soon as either the received or the decompressed
 * byte count passes the cap: the stream is destroyed there, so neither a huge body nor a gzip bomb is ever held in
 * memory beyond the cap plus one chunk.
 */
export async function readBody(source: Readable, contentEncoding: string | undefined, options: ReadBodyOptions): Promise<BodyBytes> {
  const { maxBytes } = options;
  let decoders: Transform[];
  try {
    decoders = decodersFor(contentEncoding);
  } catch (error) {
    source.on('error', () => undefined).destroy();
    throw error;
  }
  let received = 0;
  const receivedCounter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      received += chunk.length;
      // Compressed bytes over the cap would decompress to more; plain bytes over it are over it.
      if (received > maxBytes && options.onOverflow === 'throw') callback(new BodyTooLargeError(maxBytes, 'received'));
      else callback(null, chunk);
    },
  });
  pipeline([source, receivedCounter, ...decoders], () => {
    // Errors surface through the iteration below.
  });
  const output: Readable = decoders.at(-1) ?? receivedCounter;

  const chunks: Buffer[] = [];
  let total = 0;
  let truncated = false;
  try {
    for await (const chunk of output as AsyncIterable<Buffer>) {
      if (total + chunk.length > maxBytes) {
        if (options.onOverflow === 'throw') throw new BodyTooLargeError(maxBytes, decoders.length > 0 ? 'decompressed' : 'received');
        chunks.push(chunk.subarray(0, maxBytes - total));
        total = maxBytes;
        truncated = true;
        break;
      }
      chunks.push(chunk);
      total += chunk.length;
    }
  } finally {
    if (!source.readableEnded) source.destroy();
    if (!output.readableEnded) output.destroy();
  }
  // One copy into a fresh array: a view of Buffer.concat's result could share Node's small-buffer pool.
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return { bytes, truncated };
}

/** Decoders in the order to apply them (Content-Encoding lists codings in the order they were applied). */
function decodersFor(contentEncoding: string | undefined): Transform[] {
  if (contentEncoding === undefined) return [];
  const codings = contentEncoding
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== '' && coding !== 'identity');
  return codings.reverse().map((coding) => {
    switch (coding) {
      case 'gzip':
      case 'x-gzip':
        // Strict about a truncated stream: half a page must fail the capture, not become a revision.
        return zlib.createGunzip();
      case 'br':
        return zlib.createBrotliDecompress();
      case 'deflate':
        return zlib.createInflate();
      default:
        throw new UnsupportedContentEncodingError(coding);
    }
  });
}
