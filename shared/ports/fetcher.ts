/**
 * The Fetcher port: fetch one report page over HTTP, conditionally, within size and time caps.
 * Every failure is thrown as a CaptureError (shared/errors.ts) whose `kind` is recorded on the capture-failure item.
 */

export interface FetchRequest {
  url: string;
  /** Validators from the previous capture: sent as If-None-Match / If-Modified-Since. */
  etag?: string;
  lastModified?: string;
  /** Skip the robots.txt check (an operator's explicit choice for one page, never a default). */
  ignoreRobots?: boolean;
}

export interface NotModifiedResult {
  status: 'not-modified';
  /** The URL that answered 304, after redirects. */
  finalUrl: string;
  etag?: string;
  lastModified?: string;
}

export interface PageResult {
  status: 'ok';
  /** The URL that answered 200, after redirects. */
  finalUrl: string;
  /** The body as received, after Content-Encoding is undone (these are the bytes that get hashed and archived). */
  body: Uint8Array;
  /** The body decoded with `charset`. */
  text: string;
  /** The media type without parameters, lower case: `text/html` or `application/xhtml+xml`. */
  contentType: string;
  /** The WHATWG name of the encoding used to decode `text` (`utf-8`, `windows-1252`, `shift_jis`, ...). */
  charset: string;
  etag?: string;
  lastModified?: string;
  httpStatus: number;
  /** ISO 8601 time at which the response completed. */
  fetchedAt: string;
}

export type FetchResult = NotModifiedResult | PageResult;

export interface Fetcher {
  /** Throws CaptureError with kind timeout | http-status | not-html | too-large | blocked | robots | network. */
  fetchPage(request: FetchRequest): Promise<FetchResult>;
}
