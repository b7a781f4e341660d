/**
 * The small, named error hierarchy. Each error keeps its `cause`, carries an HTTP status, and says whether its
 * message is safe to show to a client. One middleware (functions/api/http/api-error-middleware.ts) maps them to responses.
 */
export class RedlineError extends Error {
  readonly status: number = 500;
  readonly expose: boolean = false;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bad input from a caller (a bad API parameter, a malformed file). */
export class ValidationError extends RedlineError {
  override readonly status = 400;
  override readonly expose = true;
}

export class UnauthorizedError extends RedlineError {
  override readonly status = 401;
  override readonly expose = true;
}

export class ForbiddenError extends RedlineError {
  override readonly status = 403;
  override readonly expose = true;
}

export class NotFoundError extends RedlineError {
  override readonly status = 404;
  override readonly expose = true;
}

/** A conditional write lost a race (DynamoDB ConditionalCheckFailed, S3 precondition). */
export class ConflictError extends RedlineError {
  override readonly status = 409;
  override readonly expose = true;
}

/**
 * An archive URL (a Wayback-style `/web/<timestamp>[flags_]/<original>`) that cannot be unwrapped: a timestamp that is
 * no date, or no original URL after it.
 */
export class ArchiveUrlError extends ValidationError {}

/** Nothing in a page or its URL says which page it is; `tried` lists what was looked at, in order. */
export class PageIdentityError extends ValidationError {
  constructor(
    message: string,
    readonly tried: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A series link or unlink that would break a lineage (a cycle, two pages of one edition, an earlier unlink). */
export class LineageConflictError extends ConflictError {}

/** A page that cannot be read as a report: no body found, structure lost, an error page served with 200. */
export class ExtractionError extends RedlineError {
  override readonly status = 422;
  override readonly expose = true;
  constructor(
    message: string,
    readonly reason: 'body-missing' | 'not-html' | 'empty',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A URL a user submitted that redline refuses to fetch (private address, bad scheme). */
export class BlockedUrlError extends RedlineError {
  override readonly status = 400;
  override readonly expose = true;
}

/** Failures of a fetch, with the kind recorded on the capture-failure item. */
export type CaptureFailureKind = 'timeout' | 'http-status' | 'not-html' | 'too-large' | 'body-missing' | 'blocked' | 'robots' | 'network';

export class CaptureError extends RedlineError {
  override readonly status = 502;
  constructor(
    message: string,
    readonly kind: CaptureFailureKind,
    readonly details: { httpStatus?: number; retryAfterSeconds?: number } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
