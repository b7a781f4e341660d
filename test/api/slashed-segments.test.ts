import { canonicalRoutePath } from '../../functions/api/http/api-request.js';

/** API Gateway decodes %2F before routing: series ids and section keys come back with their slashes folded to ~. */
describe('canonicalRoutePath', () => {
  it.each([
    ['/series/hrr/kazakhstan/editions', '/series/hrr~kazakhstan/editions'],
    ['/series/hrr/kazakhstan/compare', '/series/hrr~kazakhstan/compare'],
    ['/series/hrr/kazakhstan/removed', '/series/hrr~kazakhstan/removed'],
    ['/series/hrr/china/hong-kong/provenance', '/series/hrr~china~hong-kong/provenance'],
    [
      '/pages/hrr.kazakhstan.2024/sections/liberty/freedom-of-the-press/history',
      '/pages/hrr.kazakhstan.2024/sections/liberty~freedom-of-the-press/history',
    ],
    ['/feeds/series/hrr/kazakhstan.atom', '/feeds/series/hrr~kazakhstan.atom'],
    ['/pages/hrr.kazakhstan.2024/revisions', '/pages/hrr.kazakhstan.2024/revisions'],
  ])('%s -> %s', (path, expected) => {
    expect(canonicalRoutePath(path)).toBe(expected);
  });
});
