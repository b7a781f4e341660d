import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import autocannon from 'autocannon';
import fc from 'fast-check';
import { createApiHandler } from '../../functions/api/api-handler.js';
import { localLambdaContext } from '../../shared/runtime/lambda-handler.js';
import { API_TOKEN, PAGINATION_PAGE, PAGINATION_REVISIONS, TORTURE_KEY, startApiFixture, type ApiFixture } from '../api/api-fixture.js';
import { silentObservability } from './support/hardening-kit.js';
import {
  KZ,
  TEMPLATES,
  answerProblems,
  readRouteMix,
  authorization,
  bearer,
  body,
  contentType,
  method,
  path,
  query,
  queryKey,
  queryValue,
} from './support/api-fuzz.js';
import { encodeSegment, rawClient } from './support/raw-http.js';

/**
 * The HTTP API under hostile input, over the local api-server and the same handler Lambda runs (dynalite, s3rver,
 * seeded with real corpus revisions: test/api/api-fixture.ts).
 * - Validation fuzz: random methods, route shapes with random path segments (unicode, percent-encoding garbage,
 *   dot segments, 5,000-character ids), random query strings (every known parameter with hostile values, unknown
 *   ones, repeats), random bodies (any JSON, binary, prototype-pollution keys, 100 KB values) and content types.
 *   Every answer is < 500; every 4xx is the JSON error body with a non-empty message. The same through direct
 *   invocation with API Gateway's decoded shapes (decoded slashes, any unicode, base64 bodies).
 * - Authorization: every credentialed route refuses no credentials, wrong or near-miss tokens, other schemes, a
 *   token in the query or a cookie, and a forged or empty authorizer context; a handler without a token refuses
 *   every bearer.
 * - Pagination limits and cursors; the CORS policy on preflights, successes and errors.
 * - A short load test (autocannon): no errors, p99 reported. The soak (minutes, heap and RSS start vs end) is the
 *   `hardening` bench suite.
 */
let fixture: ApiFixture;
let client: ReturnType<typeof rawClient>;

beforeAll(async () => {
  fixture = await startApiFixture();
  client = rawClient(fixture.server.url);
}, 120_000);

afterAll(async () => {
  client?.close();
  await fixture?.close();
});

describe('validation fuzz', () => {
  it('answers any request with < 500, and any 4xx with the JSON error and a message (local server)', async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(method, path, query, body, contentType, authorization, async (verb, target, search, payload, type, auth) => {
        const headers: Record<string, string> = {};
        if (type) headers['content-type'] = type;
        if (auth) headers.authorization = auth;
        const answer = await client.send({
          method: verb,
          path: `${target}${search}`,
          headers,
          ...(payload !== undefined && verb !== 'GET' && verb !== 'HEAD' ? { body: payload } : {}),
        });
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        expect(answerProblems(answer, verb)).toEqual([]);
      }),
      { numRuns: 300 },
    );
    // The fuzz reached the handlers' validation, not only the router's 404.
    expect(statuses.get(400)).toBeGreaterThan(20);
    expect(statuses.get(200)).toBeGreaterThan(5);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  }, 120_000);

  it('answers API Gateway’s decoded shapes (slashes, any unicode, base64 bodies, odd authorizers) with < 500', async () => {
    const decodedSegment = fc.oneof(
      fc.constantFrom(KZ, 'hrr/kazakhstan', TORTURE_KEY, '..', '', ' ', '%', '%zz'),
      fc.string({ unit: 'binary', maxLength: 30 }),
    );
    const decodedPath = fc
      .tuple(fc.constantFrom(...TEMPLATES), fc.array(decodedSegment, { minLength: 5, maxLength: 5 }))
      .map(([template, values]) => {
        let index = 0;
        return template.replace(/\{\}/g, () => values[index++]!);
      });
    const parameters = fc.dictionary(queryKey, queryValue, { maxKeys: 5 });
    const authorizer = fc.constantFrom(undefined, {}, { iam: null }, { iam: {} }, { lambda: { user: 'x' } }, { jwt: { claims: {} } });
    await fc.assert(
      fc.asyncProperty(
        method,
        decodedPath,
        parameters,
        body,
        fc.boolean(),
        authorizer,
        async (verb, target, queryParameters, payload, base64, auth) => {
          const event = {
            version: '2.0',
            routeKey: '$default',
            rawPath: target,
            rawQueryString: '',
            headers: { host: 'api.example.org', 'content-type': 'application/json' },
            ...(Object.keys(queryParameters).length > 0 ? { queryStringParameters: queryParameters } : {}),
            ...(payload !== undefined
              ? { body: base64 ? Buffer.from(payload).toString('base64') : payload, isBase64Encoded: base64 }
              : { isBase64Encoded: false }),
            requestContext: {
              accountId: '123456789012',
              apiId: 'api',
              domainName: 'api.example.org',
              domainPrefix: 'api',
              http: { method: verb, path: target, protocol: 'HTTP/1.1', sourceIp: '203.0.113.1', userAgent: 'fuzz' },
              requestId: 'id',
              routeKey: '$default',
              stage: '$default',
              time: '',
              timeEpoch: 0,
              ...(auth !== undefined ? { authorizer: auth } : {}),
            },
          } as unknown as APIGatewayProxyEventV2;
          const result = (await fixture.handler(event, localLambdaContext('api'))) as {
            statusCode: number;
            headers: Record<string, string>;
            body?: string;
          };
          expect(answerProblems({ status: result.statusCode, headers: result.headers, body: result.body ?? '' }, verb)).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  }, 120_000);
});

describe('authorization', () => {
  const ROUTES: [string, string, string?][] = [
    ['POST', '/watches', '{"url":"https://www.state.gov/reports/2024-country-reports-on-human-rights-practices/russia/"}'],
    ['POST', '/subscriptions', '{"delivery":{"type":"email","address":"auth-test@example.org"}}'],
    ['GET', '/subscriptions'],
    ['GET', '/subscriptions/0123456789abcdef'],
    ['DELETE', '/subscriptions/0123456789abcdef'],
  ];
  const WRONG: [string, Record<string, string>][] = [
    ['no credentials', {}],
    ['a wrong token', { authorization: 'Bearer wrong-token-0123456789' }],
    ['the token minus its last character', { authorization: `Bearer ${API_TOKEN.slice(0, -1)}` }],
    ['the token plus a character', { authorization: `Bearer ${API_TOKEN}x` }],
    ['the token twice', { authorization: `Bearer ${API_TOKEN}${API_TOKEN}` }],
    ['the token in upper case', { authorization: `Bearer ${API_TOKEN.toUpperCase()}` }],
    ['an empty bearer', { authorization: 'Bearer ' }],
    ['the token with no scheme', { authorization: API_TOKEN }],
    ['the token as Basic', { authorization: `Basic ${API_TOKEN}` }],
    ['the token as Basic base64', { authorization: `Basic ${Buffer.from(`user:${API_TOKEN}`).toString('base64')}` }],
    ['the token in a cookie', { cookie: `token=${API_TOKEN}; authorization=Bearer ${API_TOKEN}` }],
    ['the token in another header', { 'x-api-key': API_TOKEN, 'x-amz-security-token': API_TOKEN }],
    ['a forged IAM context header', { 'x-amzn-requestcontext': JSON.stringify({ authorizer: { iam: { userArn: 'arn:aws:iam::1:user/x' } } }) }],
  ];

  it.each(WRONG)('every credentialed route refuses %s with 401 and a WWW-Authenticate challenge', async (_name, headers) => {
    for (const [verb, target, payload] of ROUTES) {
      const answer = await client.send({
        method: verb,
        path: `${target}?token=${API_TOKEN}`,
        headers: { 'content-type': 'application/json', ...headers },
        ...(payload ? { body: payload } : {}),
      });
      expect([verb, target, answer.status]).toEqual([verb, target, 401]);
      expect(answer.headers['www-authenticate']).toBe('Bearer realm="redline"');
      expect(answer.body).not.toContain(API_TOKEN);
    }
  });

  it('accepts the right token (any case of the scheme, any spacing)', async () => {
    for (const header of [`Bearer ${API_TOKEN}`, `bearer ${API_TOKEN}`, `BEARER   ${API_TOKEN}  `]) {
      expect((await client.send({ method: 'GET', path: '/subscriptions', headers: { authorization: header } })).status).toBe(200);
    }
  });

  it('refuses random Authorization headers', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme-ascii', maxLength: 80 }), async (header) => {
        fc.pre(!header.includes(API_TOKEN) && /^[\t\x20-\x7e]*$/.test(header));
        expect((await client.send({ method: 'GET', path: '/subscriptions', headers: { authorization: header } })).status).toBe(401);
      }),
      { numRuns: 100 },
    );
  });

  it('without a configured token, refuses every bearer; with an authorizer context that is not IAM, refuses too', async () => {
    const handler = createApiHandler({ ...fixture.dependencies, api: {} }, silentObservability('api'));
    const invoke = async (headers: Record<string, string>, authorizer?: unknown) =>
      (
        (await handler(
          {
            version: '2.0',
            routeKey: '$default',
            rawPath: '/subscriptions',
            rawQueryString: '',
            headers,
            isBase64Encoded: false,
            requestContext: {
              http: { method: 'GET', path: '/subscriptions', protocol: 'HTTP/1.1', sourceIp: '203.0.113.1', userAgent: 'x' },
              ...(authorizer !== undefined ? { authorizer } : {}),
            },
          } as unknown as APIGatewayProxyEventV2,
          localLambdaContext('api'),
        )) as { statusCode: number }
      ).statusCode;
    for (const header of [`Bearer ${API_TOKEN}`, 'Bearer undefined', 'Bearer ', 'Bearer null'])
      expect(await invoke({ authorization: header })).toBe(401);
    for (const authorizer of [{}, { iam: null }, { iam: false }, { iam: '' }, { lambda: { principal: 'x' } }, { jwt: { claims: { sub: 'x' } } }]) {
      expect(await invoke({}, authorizer)).toBe(401);
    }
    expect(await invoke({}, { iam: { userArn: 'arn:aws:iam::123456789012:user/ops' } })).toBe(200);
  });
});

describe('pagination', () => {
  it.each(['0', '-1', '101', '1.5', 'abc', '1e3', '', '9999999999999999999999', 'Infinity', 'NaN'])(
    'refuses limit=%s with 400 naming limit',
    async (limit) => {
      for (const target of ['/pages', '/series', `/pages/${PAGINATION_PAGE}/revisions`]) {
        const answer = await client.send({ method: 'GET', path: `${target}?limit=${encodeSegment(limit)}` });
        expect([target, answer.status]).toEqual([target, 400]);
        expect(JSON.parse(answer.body).detail).toMatch(/^limit: /);
      }
    },
  );

  it('defaults to 20, caps at 100, and walks every revision exactly once with any limit', async () => {
    const first = JSON.parse((await client.send({ method: 'GET', path: `/pages/${PAGINATION_PAGE}/revisions` })).body) as { items: unknown[] };
    expect(first.items).toHaveLength(20);
    const all = JSON.parse((await client.send({ method: 'GET', path: `/pages/${PAGINATION_PAGE}/revisions?limit=100` })).body) as {
      items: unknown[];
      nextCursor?: string;
    };
    expect(all.items).toHaveLength(PAGINATION_REVISIONS);
    expect(all.nextCursor).toBeUndefined();
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 100 }), async (limit) => {
        const seqs: number[] = [];
        let cursor: string | undefined;
        do {
          const answer = await client.send({
            method: 'GET',
            path: `/pages/${PAGINATION_PAGE}/revisions?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
          });
          const page = JSON.parse(answer.body) as { items: { seq: number }[]; nextCursor?: string };
          expect(page.items.length).toBeLessThanOrEqual(limit);
          seqs.push(...page.items.map((item) => item.seq));
          cursor = page.nextCursor;
        } while (cursor);
        expect(seqs).toEqual(Array.from({ length: PAGINATION_REVISIONS }, (_, index) => PAGINATION_REVISIONS - index));
      }),
      { numRuns: 15 },
    );
  });

  it('refuses forged cursors with 400, never 500', async () => {
    const valid = (JSON.parse((await client.send({ method: 'GET', path: '/pages?limit=1' })).body) as { nextCursor: string }).nextCursor;
    const json = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const forged = fc.oneof(
      fc.string({ unit: 'binary', minLength: 1, maxLength: 100 }),
      fc.jsonValue({ maxDepth: 3 }).map(json),
      fc
        .dictionary(
          fc.constantFrom('pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'd', 'k'),
          fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
        )
        .map(json),
      fc.nat({ max: valid.length - 1 }).map((at) => `${valid.slice(0, at)}${valid[at] === 'A' ? 'B' : 'A'}${valid.slice(at + 1)}`),
    );
    await fc.assert(
      fc.asyncProperty(forged, fc.constantFrom('/pages', '/series', `/pages/${KZ}/revisions`, '/subscriptions'), async (cursor, target) => {
        const answer = await client.send({ method: 'GET', path: `${target}?cursor=${encodeSegment(cursor)}`, headers: bearer });
        expect(answer.status).toBeLessThan(500);
        if (answer.status !== 200) expect([answer.status, JSON.parse(answer.body).detail]).toEqual([400, expect.stringMatching(/cursor/i)]);
      }),
      { numRuns: 150 },
    );
  });
});

describe('CORS', () => {
  const POLICY = {
    'access-control-allow-origin': '*',
    'access-control-allow-methods': 'GET,HEAD,POST,DELETE,OPTIONS',
    'access-control-allow-headers': 'authorization,content-type,if-none-match',
    'access-control-expose-headers': 'etag,location,link,allow',
  };

  it('answers preflights from any origin, for any path, without credentials support', async () => {
    for (const target of ['/pages', '/watches', '/subscriptions/x', '/nowhere']) {
      const answer = await client.send({
        method: 'OPTIONS',
        path: target,
        headers: {
          origin: 'https://anywhere.example',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type',
        },
      });
      expect(answer.status).toBe(204);
      expect(answer.headers).toMatchObject({ ...POLICY, 'access-control-max-age': '600' });
      expect(answer.headers['access-control-allow-credentials']).toBeUndefined();
    }
  });

  it('puts the same headers on successes and on errors (so a browser can read why a call failed), and never reflects the origin', async () => {
    for (const [verb, target, headers] of [
      ['GET', '/pages', {}],
      ['GET', `/pages/${KZ}/revisions/1`, {}],
      ['GET', '/nowhere', {}],
      ['POST', '/watches', {}],
      ['GET', '/pages?limit=0', {}],
      ['GET', '/subscriptions', bearer],
    ] as [string, string, Record<string, string>][]) {
      const answer = await client.send({ method: verb, path: target, headers: { origin: 'https://evil.example', ...headers } });
      expect(answer.headers).toMatchObject(POLICY);
      expect(JSON.stringify(answer.headers)).not.toContain('evil.example');
      expect(answer.headers['access-control-allow-credentials']).toBeUndefined();
    }
  });
});

describe('load (short; the soak is `npm run bench -- hardening`)', () => {
  it('serves a mix of read routes under 10 connections with no errors, and reports p99', async () => {
    const requests = [...readRouteMix(TORTURE_KEY), { method: 'GET' as const, path: '/pages?limit=0' }];
    // A fixed number of requests, not a duration: the same work on any machine, however loaded (the per-request
    // timeout only stops a hung server).
    const amount = 400;
    const options = { url: fixture.server.url, connections: 10, amount, timeout: 60, requests };
    const result = (await autocannon(options as unknown as Parameters<typeof autocannon>[0])) as Awaited<ReturnType<typeof autocannon>> & {
      '4xx': number;
    };
    expect(result.errors).toBe(0);
    expect(result.timeouts).toBe(0);
    // Exactly the one invalid route of the mix answers 4xx; nothing answers 5xx; every request was answered.
    expect(result.non2xx).toBe(result['4xx']);
    expect(result['4xx']).toBeGreaterThan(0);
    expect(result['2xx'] + result['4xx']).toBe(amount);
    expect(result.latency.p99).toBeGreaterThan(0);
  }, 180_000);
});
