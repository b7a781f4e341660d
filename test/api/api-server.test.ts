import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { startApiServer, type ApiServer } from '../../local/runtime/api-server.js';

/** The local server's mapping of requests to HTTP API events and of results back to responses. */
let server: ApiServer;
let events: APIGatewayProxyEventV2[] = [];
let result: APIGatewayProxyResultV2 | (() => never) = { statusCode: 200 };

beforeAll(async () => {
  server = await startApiServer({
    handler: async (event) => {
      events.push(event);
      if (typeof result === 'function') return result();
      return result;
    },
    maxBodyBytes: 1024,
  });
});

afterAll(async () => {
  await server?.close();
});

beforeEach(() => {
  events = [];
  result = { statusCode: 200 };
});

it('listens on 127.0.0.1 only', () => {
  expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
});

it('builds a payload 2.0 event: raw path (still encoded), query, lower-case headers, cookies, no authorizer', async () => {
  await fetch(`${server.url}/series/hrr%2Fkazakhstan/compare?from=2023&to=2024&terms=a&terms=b%20c`, {
    headers: { 'X-Custom': 'One', cookie: 'a=1; b=2', authorization: 'Bearer t' },
  });
  const [event] = events;
  expect(event).toMatchObject({
    version: '2.0',
    routeKey: '$default',
    rawPath: '/series/hrr%2Fkazakhstan/compare',
    rawQueryString: 'from=2023&to=2024&terms=a&terms=b%20c',
    queryStringParameters: { from: '2023', to: '2024', terms: 'a,b c' },
    cookies: ['a=1', 'b=2'],
    isBase64Encoded: false,
    requestContext: {
      domainName: `127.0.0.1:${server.port}`,
      stage: '$default',
      http: { method: 'GET', path: '/series/hrr%2Fkazakhstan/compare', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1' },
    },
  });
  expect(event!.headers).toMatchObject({ 'x-custom': 'One', authorization: 'Bearer t', 'x-forwarded-proto': 'http' });
  expect(event!.headers.cookie).toBeUndefined();
  expect(event!.body).toBeUndefined();
  expect(event!.pathParameters).toBeUndefined();
  expect('authorizer' in event!.requestContext).toBe(false);
});

it('passes text bodies as text and binary bodies as base64', async () => {
  await fetch(`${server.url}/watches`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer t' },
    body: '{"url":"x"}',
  });
  await fetch(`${server.url}/upload`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream', authorization: 'Bearer t' },
    body: new Uint8Array([0, 255, 1]),
  });
  expect(events[0]).toMatchObject({ body: '{"url":"x"}', isBase64Encoded: false, requestContext: { http: { method: 'POST' } } });
  expect(events[1]).toMatchObject({ body: Buffer.from([0, 255, 1]).toString('base64'), isBase64Encoded: true });
});

it('writes the result back: status, headers, cookies, base64 bodies', async () => {
  result = {
    statusCode: 201,
    headers: { 'Content-Type': 'application/octet-stream', etag: '"x"' },
    cookies: ['session=1; HttpOnly', 'theme=dark'],
    body: Buffer.from([1, 2, 3]).toString('base64'),
    isBase64Encoded: true,
  };
  const response = await fetch(`${server.url}/anything`);
  expect(response.status).toBe(201);
  expect(response.headers.get('content-type')).toBe('application/octet-stream');
  expect(response.headers.get('etag')).toBe('"x"');
  expect(response.headers.getSetCookie()).toEqual(['session=1; HttpOnly', 'theme=dark']);
  expect(new Uint8Array(await response.arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]));

  result = { statusCode: 304, headers: { etag: '"x"' }, body: '' };
  const notModified = await fetch(`${server.url}/anything`);
  expect(notModified.status).toBe(304);
});

it('treats a bare result as a 200 JSON body, and a failing handler as a 500', async () => {
  result = 'plain' as unknown as APIGatewayProxyResultV2;
  const bare = await fetch(`${server.url}/x`);
  expect([bare.status, bare.headers.get('content-type'), await bare.text()]).toEqual([200, 'application/json', 'plain']);
  result = () => {
    throw new Error('boom');
  };
  const failed = await fetch(`${server.url}/x`);
  expect([failed.status, await failed.json()]).toEqual([500, { message: 'Internal Server Error' }]);
});

it('answers 413 past the body limit without calling the handler, as problem details a browser may read', async () => {
  const response = await fetch(`${server.url}/watches`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer t' },
    body: 'x'.repeat(2048),
  });
  expect(response.status).toBe(413);
  expect(response.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
  expect(response.headers.get('access-control-allow-origin')).toBe('*');
  expect(await response.json()).toEqual({
    type: 'urn:redline:problem:payload-too-large',
    title: 'Content Too Large',
    status: 413,
    detail: 'body: larger than the 1024 bytes a request may carry',
    parameter: 'body',
  });
  expect(events).toHaveLength(0);
});

it('does not buffer the body of a write without credentials: the handler refuses it unread', async () => {
  result = { statusCode: 401, body: 'no' };
  const response = await fetch(`${server.url}/watches`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'x'.repeat(2048) });
  expect(response.status).toBe(401);
  expect(events).toHaveLength(1);
  expect(events[0]!.body).toBeUndefined();
});
