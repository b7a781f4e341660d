import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { PROBLEM_CONTENT_TYPE, problemFor } from '../../functions/api/http/api-error-middleware.js';
import { localLambdaContext } from '../../shared/runtime/lambda-handler.js';

/**
 * The API served locally (`redline serve`, `npm run dev`): a node:http server that turns each request into the
 * APIGatewayProxyEventV2 an HTTP API would send, calls the same api handler the Lambda runs, and writes its result
 * back. Differences from API Gateway, on purpose: the path stays percent-encoded (so `%2F` in a series id or section
 * key reaches the handler; `~` works everywhere), `requestContext.domainName` is the server's own listening address
 * with its port, never the Host header (so feed links point back here, and a forged Host cannot change them), and
 * there is no authorizer: write routes take `Authorization: Bearer <token>`.
 */
export type ApiHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>;

export interface ApiServerOptions {
  /** The api handler (createApiHandler(...)). */
  handler: ApiHandler;
  /** Default 127.0.0.1: the local API is not meant to be reachable from the network. */
  host?: string;
  /** Default 0 (a free port). */
  port?: number;
  /** Request bodies above this get 413 (API Gateway: 10 MB). Default 1 MiB. */
  maxBodyBytes?: number;
}

export interface ApiServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  close(): Promise<void>;
}

const TEXT_MEDIA_TYPE = /^(?:text\/|application\/(?:[\w.+-]+\+)?(?:json|xml)|application\/x-www-form-urlencoded)/i;

export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const host = options.host ?? '127.0.0.1';
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const inFlight = new Set<Promise<void>>();
  let domainName = host;
  const server = createServer((request, response) => {
    const handling = serve(request, response).catch((error: unknown) => {
      if (!response.headersSent) writeProblem(response, 500, 'Internal server error');
      else response.destroy(error as Error);
    });
    inFlight.add(handling);
    void handling.finally(() => inFlight.delete(handling));
  });

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    // A write without credentials is refused by the handler before it reads the body: do not buffer one for it.
    const method = request.method ?? 'GET';
    const anonymousWrite = method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS' && request.headers.authorization === undefined;
    const body = anonymousWrite ? await discardBody(request) : await readBody(request, maxBodyBytes);
    if (body === undefined) {
      writeProblem(response, 413, `body: larger than the ${maxBodyBytes} bytes a request may carry`);
      return;
    }
    const event = toApiGatewayEvent(request, body, domainName);
    let result: APIGatewayProxyResultV2;
    try {
      result = await options.handler(event, localLambdaContext('api'));
    } catch {
      // What API Gateway answers when the function fails.
      writeJson(response, 500, { message: 'Internal Server Error' });
      return;
    }
    writeResult(response, result);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const listening = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  domainName = `${listening.includes(':') ? `[${listening}]` : listening}:${port}`;
  return {
    url: `http://${domainName}`,
    port,
    // Stops accepting, lets the handler invocations under way finish (they may still be using the stores the
    // caller closes next), then drops the connections.
    close: async () => {
      const closed = new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
      server.closeIdleConnections();
      await Promise.allSettled([...inFlight]);
      server.closeAllConnections();
      await closed;
    },
  };
}

/** The HTTP API payload 2.0 event for a request (headers lower-cased, repeated ones and query values comma-joined). */
export function toApiGatewayEvent(request: IncomingMessage, body: Buffer, domainName = '127.0.0.1'): APIGatewayProxyEventV2 {
  const target = request.url ?? '/';
  const queryAt = target.indexOf('?');
  const rawPath = queryAt === -1 ? target : target.slice(0, queryAt);
  const rawQueryString = queryAt === -1 ? '' : target.slice(queryAt + 1);

  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headersDistinct)) {
    if (value !== undefined && name !== 'cookie') headers[name] = value.join(',');
  }
  headers['x-forwarded-proto'] ??= 'http';
  headers['x-forwarded-for'] ??= request.socket.remoteAddress ?? '127.0.0.1';

  const query: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(rawQueryString)) query[name] = name in query ? `${query[name]},${value}` : value;

  const cookies = (request.headers.cookie ?? '')
    .split(';')
    .map((cookie) => cookie.trim())
    .filter((cookie) => cookie.length > 0);

  const contentType = headers['content-type'] ?? '';
  const textual = body.length === 0 || TEXT_MEDIA_TYPE.test(contentType);
  const now = new Date();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName,
      domainPrefix: domainName.split('.')[0]!,
      http: {
        method: request.method ?? 'GET',
        path: rawPath,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(body.length > 0 ? { body: textual ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: !textual,
  };
}

/** Writes a handler result back as HTTP (a bare string or object result is a 200 JSON body, as API Gateway does). */
export function writeResult(response: ServerResponse, result: APIGatewayProxyResultV2): void {
  if (typeof result === 'string' || result === null || typeof result !== 'object' || !('statusCode' in result || 'body' in result)) {
    writeJson(response, 200, result);
    return;
  }
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name.toLowerCase()] = String(value);
  if (result.cookies && result.cookies.length > 0) headers['set-cookie'] = result.cookies;
  const body = result.body === undefined ? Buffer.alloc(0) : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8');
  // A HEAD answer has no body but says the GET's length.
  if (result.statusCode !== 204 && result.statusCode !== 304 && !(body.length === 0 && headers['content-length'] !== undefined)) {
    headers['content-length'] = String(body.length);
  }
  response.writeHead(result.statusCode ?? 200, headers);
  response.end(result.statusCode === 204 || result.statusCode === 304 ? undefined : body);
}

function writeJson(response: ServerResponse, status: number, body: unknown): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
  response.end(text);
}

/** RFC 9457 problem details, with the CORS header the handler would have added (browsers show the error then). */
function writeProblem(response: ServerResponse, status: number, detail: string): void {
  const text = JSON.stringify(problemFor(status, detail));
  response.writeHead(status, {
    'content-type': PROBLEM_CONTENT_TYPE,
    'content-length': String(Buffer.byteLength(text)),
    'access-control-allow-origin': '*',
    'cache-control': 'private, no-store',
  });
  response.end(text);
}

/** Reads and drops a body. */
async function discardBody(request: IncomingMessage): Promise<Buffer> {
  for await (const _chunk of request) void _chunk;
  return Buffer.alloc(0);
}

/** The body, or undefined once it passes the limit (the rest is drained, not buffered). */
async function readBody(request: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) tooLarge = true;
    if (!tooLarge) chunks.push(chunk as Buffer);
  }
  return tooLarge ? undefined : Buffer.concat(chunks);
}
