import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { z } from 'zod';
import { RedlineError, ValidationError } from '../../../shared/errors.js';
import { parseWithSchema } from '../../../shared/use-cases/queries/query-input.js';

/** An HTTP API (payload 2.0) event; in the cloud, IAM-authorized routes add `requestContext.authorizer.iam`. */
export type ApiEvent = APIGatewayProxyEventV2 & {
  requestContext: APIGatewayProxyEventV2['requestContext'] & { authorizer?: { iam?: unknown } };
};

/**
 * Series ids and section keys contain slashes (`hrr/kazakhstan`, `liberty/freedom-of-the-press`). In a path
 * segment they are written with `~` for `/` (`hrr~kazakhstan`), which survives every transport, or percent-encoded
 * (`hrr%2Fkazakhstan`), which works where the path reaches the function still encoded (the local server, Function
 * URLs). API Gateway HTTP APIs decode the path before routing, so for the routes below a decoded slash is folded
 * back into the segment before the router sees the path.
 */
const SLASHED_SEGMENT_ROUTES: readonly RegExp[] = [
  /^(\/pages\/[^/]+\/sections\/)(.+)(\/history\/?)$/,
  /^(\/series\/)(.+)(\/(?:editions|compare|removed|provenance)\/?)$/,
  /^(\/feeds\/series\/)(.+)(\.atom)$/,
];

export function canonicalRoutePath(path: string): string {
  for (const pattern of SLASHED_SEGMENT_ROUTES) {
    const match = pattern.exec(path);
    if (match) return `${match[1]}${match[2]!.replaceAll('/', '~')}${match[3]}`;
  }
  return path;
}

/** A path parameter with percent-encoding undone and `~` read as `/`; ValidationError naming it when malformed. */
export function slashedPathParameter(event: ApiEvent, name: string): string {
  return pathParameter(event, name).replaceAll('~', '/');
}

export function pathParameter(event: ApiEvent, name: string): string {
  const raw = event.pathParameters?.[name];
  if (raw === undefined || raw === '') throw new ValidationError(`${name}: missing`);
  try {
    return decodeURIComponent(raw);
  } catch (error) {
    throw new ValidationError(`${name}: malformed percent-encoding`, { cause: error });
  }
}

/**
 * Query parameters parsed with a zod object schema. Repeated parameters arrive comma-joined (API Gateway's
 * behaviour, and the local server's), unknown parameters are ignored. A failure names the parameter.
 */
export function queryParameters<T extends z.ZodType>(event: ApiEvent, schema: T): z.infer<T> {
  return parseWithSchema(schema, event.queryStringParameters ?? {}, 'query');
}

export class UnsupportedMediaTypeError extends RedlineError {
  override readonly status = 415;
  override readonly expose = true;
}

/** The JSON body of a write route; 400 naming `body` when absent or malformed, 415 for another media type. */
export function jsonBody(event: ApiEvent): unknown {
  const contentType = event.headers?.['content-type'] ?? '';
  if (!/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(contentType)) {
    throw new UnsupportedMediaTypeError('body: send JSON with Content-Type: application/json');
  }
  if (event.body === undefined || event.body === '') throw new ValidationError('body: missing');
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ValidationError('body: not valid JSON', { cause: error });
  }
}

/**
 * Absolute base URL for links: the configured one, or the domain API Gateway received the request on
 * (`requestContext.domainName`, which it sets itself; the local server sets its own address). The Host header is
 * never used, so a forged Host cannot put another site's address into feeds; a domain or protocol that does not
 * make a URL falls back to a relative base (links then resolve against wherever the document was fetched).
 */
export function requestBaseUrl(event: ApiEvent, configured?: string): string {
  if (configured) return configured.replace(/\/+$/, '');
  const stage = event.requestContext.stage;
  const stagePath = stage && stage !== '$default' ? `/${encodeURIComponent(stage)}` : '';
  const forwarded = (event.headers?.['x-forwarded-proto'] ?? 'https').split(',')[0]!.trim().toLowerCase();
  const protocol = forwarded === 'http' ? 'http' : 'https';
  const domain = event.requestContext.domainName ?? '';
  if (!/^[A-Za-z0-9.-]+(?::\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](?::\d{1,5})?$/.test(domain)) return stagePath;
  try {
    const url = new URL(`${protocol}://${domain}${stagePath}`);
    return `${url.origin}${stagePath}`;
  } catch {
    return stagePath;
  }
}
