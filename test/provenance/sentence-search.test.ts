import { searchSentences } from '../../shared/domain/provenance/sentence-search.js';
import { seriesIndex } from './provenance-fixture.js';

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
