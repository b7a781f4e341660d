import fc from 'fast-check';
import { canonicalJson } from '../../shared/adapters/s3/canonical-json.js';
import { extract } from '../../shared/domain/extract.js';
import { loadCorpusPage } from '../support/corpus.js';

/** The former implementation: JSON.stringify of a copy with keys sorted at every level. */
function sortedCopyJson(value: unknown): string {
  const sortKeys = (inner: unknown): unknown => {
    if (Array.isArray(inner)) return inner.map(sortKeys);
    if (inner !== null && typeof inner === 'object' && !(inner instanceof Date)) {
      const sorted: Record<string, unknown> = {};
      for (const key of Object.keys(inner).sort()) sorted[key] = sortKeys((inner as Record<string, unknown>)[key]);
      return sorted;
    }
    return inner;
  };
  return JSON.stringify(sortKeys(value));
}

describe('canonicalJson', () => {
  it('writes real Documents byte for byte as a key-sorted JSON.stringify does (their hashes, the stored keys, unchanged)', () => {
    for (const [country, year] of [
      ['nigeria', 2024],
      ['china', 2018],
      ['kazakhstan', 2023],
    ] as const) {
      const document = extract(loadCorpusPage(country, year));
      const json = canonicalJson(document);
      expect(json).toBe(sortedCopyJson(document));
      // Built with its keys in reverse order: the same text.
      const reversed = JSON.parse(JSON.stringify(document, (_key, value: unknown) =>
        value && typeof value === 'object' && !Array.isArray(value)
          ? Object.fromEntries(Object.entries(value).reverse())
          : value,
      )) as unknown;
      expect(canonicalJson(reversed)).toBe(json);
    }
  });

  it('orders array-index keys numerically first, drops undefined members, nulls undefined array items, serialises Dates', () => {
    const value = {
      b: 1,
      10: 'ten',
      a: [undefined, () => 1, Number.NaN, -0, { z: undefined, y: new Date(Date.UTC(2024, 0, 2)) }],
      9: 'nine',
      '01': 'not an index',
      4294967295: 'not an index either',
      nested: { c: null, '2': true, '1': false },
    };
    expect(canonicalJson(value)).toBe(sortedCopyJson(value));
    expect(canonicalJson(value)).toBe(
      '{"9":"nine","10":"ten","01":"not an index","4294967295":"not an index either",' +
        '"a":[null,null,null,0,{"y":"2024-01-02T00:00:00.000Z"}],"b":1,"nested":{"1":false,"2":true,"c":null}}',
    );
  });

  it('an object with a toJSON of its own is written as before (its own keys, sorted)', () => {
    class Stamp {
      constructor(readonly when: string) {}
      toJSON() {
        return 'ignored by the sorted copy';
      }
    }
    const value = { stamp: new Stamp('2024'), own: { toJSON: () => 'called', b: 2 } };
    expect(canonicalJson(value)).toBe(sortedCopyJson(value));
  });

  it('matches the key-sorted JSON.stringify on arbitrary JSON-like values (fixed seed, 300 runs)', () => {
    fc.assert(
      fc.property(fc.anything({ withDate: true, withNullPrototype: true, withSparseArray: true, withTypedArray: true }), (value) => {
        expect(canonicalJson(value)).toBe(sortedCopyJson(value));
      }),
      { numRuns: 300 },
    );
  });
});
