import fc from 'fast-check';
import { API_TOKEN, PAGINATION_PAGE, TORTURE_KEY } from '../../api/api-fixture.js';
import { encodeSegment, type RawAnswer } from './raw-http.js';

/**
 * Request generators for fuzzing the HTTP API (test/hardening/api-hardening.test.ts and the hardening bench): every
 * route shape with hostile path segments, query strings, bodies, content types and credentials, and the check that
 * an answer is never a 5xx and that a 4xx carries the documented problem details (RFC 9457).
 */
export const KZ = 'hrr.kazakhstan.2024';
export const bearer = { authorization: `Bearer ${API_TOKEN}` };

/** What every answer must be: never a 5xx, and a 4xx says what was wrong, in the documented shape. */
export function answerProblems(answer: RawAnswer, method: string): string[] {
  if (answer.status >= 500) return [`${answer.status}: ${answer.body.slice(0, 300)}`];
  if (answer.status < 400 || method === 'HEAD') return [];
  if (!String(answer.headers['content-type']).startsWith('application/problem+json'))
    return [`${answer.status} is ${answer.headers['content-type']}`];
  let parsed: { type?: unknown; title?: unknown; status?: number; detail?: unknown };
  try {
    parsed = JSON.parse(answer.body) as typeof parsed;
  } catch {
    return [`${answer.status} with a body that is not JSON: ${answer.body.slice(0, 100)}`];
  }
  const problems: string[] = [];
  if (parsed.status !== answer.status) problems.push(`status ${parsed.status} for HTTP ${answer.status}`);
  if (typeof parsed.type !== 'string' || typeof parsed.title !== 'string') problems.push(`${answer.status} without a problem type and title`);
  if (typeof parsed.detail !== 'string' || parsed.detail.trim() === '') problems.push(`${answer.status} without a detail`);
  if (answer.status === 405 && !answer.headers.allow) problems.push('405 without Allow');
  return problems;
}

const SEGMENTS = [
  KZ,
  'hrr~kazakhstan',
  'hrr%2Fkazakhstan',
  PAGINATION_PAGE,
  TORTURE_KEY.replaceAll('/', '~'),
  '1',
  '0',
  '-1',
  '1.5',
  '1e309',
  '99999999999',
  'NaN',
  '..',
  '.',
  '%2e%2e',
  '%00',
  '%E0%A4%A',
  '%',
  '%25',
  '~',
  '~~~',
  'x'.repeat(5_000),
  '%3Cscript%3E',
  '__proto__',
  'constructor',
];
const segment = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...SEGMENTS) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).map(encodeSegment) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }).map(encodeSegment) },
);
export const TEMPLATES = [
  '/pages',
  '/pages/{}',
  '/pages/{}/revisions',
  '/pages/{}/revisions/{}',
  '/pages/{}/diff',
  '/pages/{}/sections/{}/history',
  '/series',
  '/series/{}/editions',
  '/series/{}/compare',
  '/audit',
  '/feeds/all.atom',
  '/feeds/pages/{}.atom',
  '/feeds/series/{}.atom',
  '/watches',
  '/subscriptions',
  '/subscriptions/{}',
  '/{}',
  '/{}/{}/{}/{}/{}',
];
export const path = fc.tuple(fc.constantFrom(...TEMPLATES), fc.array(segment, { minLength: 5, maxLength: 5 })).map(([template, values]) => {
  let index = 0;
  return template.replace(/\{\}/g, () => values[index++]!);
});
const QUERY_VALUES = [
  '0',
  '1',
  '2',
  '-1',
  '1.5',
  '1e309',
  '100',
  '101',
  '9999999999',
  'abc',
  'true',
  'false',
  'TRUE',
  'json',
  'html',
  'text',
  'csv',
  'edition',
  'section',
  '',
  ' ',
  'torture',
  'a,b,,c',
  ',,,',
  'hrr~kazakhstan',
  'hrr/kazakhstan',
  'e30',
  'bnVsbA',
  'eyJwayI6IlBBR0UjeCJ9',
  'x'.repeat(3_000),
  '2023',
  '2024',
];
export const queryKey = fc.oneof(
  fc.constantFrom('limit', 'cursor', 'from', 'to', 'format', 'unchanged', 'hideTrivial', 'terms', 'series', 'by', 'wholeWord', 'since', 'until'),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
);
export const queryValue = fc.oneof(
  fc.constantFrom(...QUERY_VALUES),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
);
export const query = fc
  .array(fc.tuple(queryKey, queryValue), { maxLength: 6 })
  .map((pairs) => (pairs.length === 0 ? '' : `?${pairs.map(([key, value]) => `${encodeSegment(key)}=${encodeSegment(value)}`).join('&')}`));
const BODIES = [
  '{',
  '[]',
  'null',
  '"url"',
  '{"url":"https://www.state.gov/reports/2024-country-reports-on-human-rights-practices/kazakhstan/"}',
  '{"url":"http://169.254.169.254/latest/meta-data/"}',
  '{"url":"https://example.org/","intervalMinutes":1e309}',
  '{"url":"https://example.org/","intervalMinutes":-5}',
  '{"delivery":{"type":"webhook","url":"http://[::1]/hook"}}',
  '{"delivery":{"type":"email","address":"a@example.org"},"filters":{"terms":["x"]}}',
  JSON.stringify({ url: `https://example.org/${'x'.repeat(100_000)}` }),
  JSON.stringify({
    delivery: { type: 'email', address: 'a@example.org' },
    filters: { terms: Array.from({ length: 500 }, (_, index) => `t${index}`) },
  }),
  '{"__proto__":{"polluted":true},"url":"https://example.org/a"}',
  '{"constructor":{"prototype":{"polluted":true}}}',
];
export const body = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom(...BODIES),
  fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)),
  fc.string({ unit: 'binary', maxLength: 200 }),
);
export const contentType = fc.constantFrom(
  undefined,
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/vnd.api+json',
  'multipart/form-data; boundary=x',
  'application/json; charset=latin1',
);
export const authorization = fc.constantFrom(undefined, bearer.authorization, 'Bearer wrong', `Basic ${API_TOKEN}`);
export const method = fc.constantFrom('GET', 'GET', 'GET', 'POST', 'POST', 'DELETE', 'PUT', 'PATCH', 'OPTIONS', 'HEAD');

/** The read-route mix of the short load test and the bench's load and soak (10 connections). */
export function readRouteMix(tortureKey: string): Array<{ method: 'GET'; path: string }> {
  return [
    '/pages',
    `/pages/${KZ}`,
    `/pages/${KZ}/revisions?limit=10`,
    `/pages/${KZ}/revisions/2`,
    `/pages/${KZ}/diff?from=1&to=2`,
    `/pages/${KZ}/sections/${tortureKey.replaceAll('/', '~')}/history`,
    '/series',
    '/series/hrr~kazakhstan/editions',
    '/feeds/all.atom',
  ].map((route) => ({ method: 'GET' as const, path: route }));
}
