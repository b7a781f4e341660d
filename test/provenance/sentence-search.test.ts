import { searchSentences } from '../../shared/domain/provenance/sentence-search.js';
import { ProvenanceIndex } from '../../shared/domain/provenance/provenance-index.js';
import { versionSentences } from '../../shared/domain/provenance/version-sentences.js';
import { seriesIndex, syntheticDocument } from './provenance-fixture.js';

/**
 * Sentence search on Kazakhstan 2016-2024 (the nine real editions). Expectations checked in the page texts
 * (zcat test/fixtures/corpus/hrr/kazakhstan/<year>.html.gz | grep ...).
 */
const index = seriesIndex('kazakhstan');

describe('sentence search over a provenance index', () => {
  test('a sentence cut from the 2024 edition: first seen, last seen, and the edition that removed it', () => {
    const hits = searchSentences(index, 'no reports of disappearances by or on behalf of government');
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({
      text: 'There were no reports of disappearances by or on behalf of government authorities.',
      sectionKey: 'respect-for-the-integrity-of-the-person/disappearance',
      heading: 'Disappearance',
      firstSeen: { edition: 2019 },
      lastSeen: { edition: 2023 },
      removedIn: { edition: 2024 },
      editions: [2019, 2020, 2021, 2022, 2023],
      versions: 5,
    });
  });

  test('case, typographic quotes and runs of spaces do not matter; the match is located for highlighting', () => {
    const plain = searchSentences(index, 'THE LAW ALLOWED   conditional release on bail');
    expect(plain.length).toBeGreaterThan(0);
    for (const hit of plain) {
      expect(hit.text.toLowerCase()).toContain('the law allowed conditional release on bail');
      const [start, end] = hit.match!;
      expect(hit.text.slice(start, end).toLowerCase()).toBe('the law allowed conditional release on bail');
    }
    // Still there in the newest edition: no "removed in".
    expect(plain.some((hit) => hit.lastSeen.edition === 2024 && hit.removedIn === undefined)).toBe(true);
  });

  test('hits come in order of first appearance; an empty or unknown phrase finds nothing', () => {
    const hits = searchSentences(index, 'torture');
    expect(hits.length).toBeGreaterThan(5);
    const firstEditions = hits.map((hit) => hit.firstSeen.edition!);
    expect(firstEditions).toEqual([...firstEditions].sort((a, b) => a - b));
    expect(hits.every((hit) => hit.text.toLowerCase().includes('torture'))).toBe(true);
    expect(searchSentences(index, '   ')).toEqual([]);
    expect(searchSentences(index, 'zebra crossing in the moonlight')).toEqual([]);
  });
});

describe('sentence search: folded texts kept between searches', () => {
  test('a repeated search, and one after other searches filled the cache, gives the same hits', () => {
    const phrases = ['arbitrary arrest', 'torture', 'no reports of disappearances by or on behalf of government'];
    const first = phrases.map((phrase) => searchSentences(index, phrase));
    // Other indexes' sentences pass through the same cache in between (Tuvalu's nine editions).
    searchSentences(seriesIndex('tuvalu'), 'the law');
    const again = phrases.map((phrase) => searchSentences(index, phrase));
    expect(again).toEqual(first);
    expect(first.every((hits) => hits.length > 0)).toBe(true);
  });

  test('two spellings of one sentence (one sentence hash) are each matched by their own text', () => {
    // The sentence hash is of a normal form without trailing punctuation: both spellings share it, but only the
    // first holds "happened." (a cache keyed by the hash would answer the second index with the first's text).
    const indexOf = (scope: string, text: string): ProvenanceIndex => {
      const document = syntheticDocument([['summary', 'Summary', [text]]], { edition: 2020 });
      const index = new ProvenanceIndex(scope);
      index.addVersion(
        { page: `${scope}.2020`, seq: 1, edition: 2020, documentHash: scope, capturedAt: '2021-03-01T00:00:00.000Z' },
        versionSentences(document),
      );
      return index;
    };
    const withStop = indexOf('series:a', 'The vote happened.');
    const withoutStop = indexOf('series:b', 'The vote happened');
    expect(withStop.sentence(0).hash).toBe(withoutStop.sentence(0).hash);
    expect(searchSentences(withStop, 'happened.')).toHaveLength(1);
    expect(searchSentences(withoutStop, 'happened.')).toHaveLength(0);
    expect(searchSentences(withoutStop, 'happened')).toHaveLength(1);
  });
});
