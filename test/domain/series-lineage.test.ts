import fc from 'fast-check';
import type { Document } from '../../shared/domain/document.js';
import { readPage } from '../../shared/domain/extract.js';
import {
  CONTINUITY_AGREES,
  documentShingles,
  SHINGLE_WORDS,
  shingleSimilarity,
  type ShingleSet,
} from '../../shared/domain/identity/content-continuity.js';
import {
  checkLink,
  checkUnlink,
  contentComparisonsNeeded,
  decideLineages,
  lineageOf,
  similarityKey,
  type LineageOverride,
  type SeriesPageFacts,
} from '../../shared/domain/identity/series-lineage.js';
import { LineageConflictError, NotFoundError, ValidationError } from '../../shared/errors.js';
import { CORPUS_COUNTRIES, CORPUS_YEARS, loadCorpusPage, type CorpusCountry } from '../support/corpus.js';

/** Lineage decisions over the sample's real pages (their signals and text), and the rules for manual overrides. */
const reads = new Map<string, ReturnType<typeof readPage>>(
  CORPUS_COUNTRIES.flatMap((country) => CORPUS_YEARS.map((year) => [`${country}/${year}`, readPage(loadCorpusPage(country, year))] as const)),
);
const shingles = new Map<string, ShingleSet>();
const shinglesOf = (key: string) => {
  let set = shingles.get(key);
  if (!set) shingles.set(key, (set = documentShingles(reads.get(key)!.document)));
  return set;
};

/** Facts of the corpus, with `series` overridden where a test renames a country's slug. */
function corpusFacts(rename: (country: CorpusCountry, year: number, series: string) => string = (_c, _y, series) => series): SeriesPageFacts[] {
  return [...reads.entries()].map(([key, read]) => {
    const [country, year] = key.split('/') as [CorpusCountry, string];
    const series = rename(country, Number(year), read.identity.series!);
    return { page: `${key}`, series, edition: Number(year), profile: 'state-hrr', signals: read.identity.signals };
  });
}

function similaritiesFor(facts: readonly SeriesPageFacts[]): Map<string, number> {
  const similarities = new Map<string, number>();
  for (const { from, to } of contentComparisonsNeeded(facts))
    similarities.set(similarityKey(from, to), shingleSimilarity(shinglesOf(from), shinglesOf(to)));
  return similarities;
}

const at = (decidedAt: string) => decidedAt;

/**
 * documentShingles by its definition, written the plain way: the words of `text.toLowerCase().split(/[^\p{L}\p{N}]+/u)`,
 * FNV-1a 32 of each, every run of SHINGLE_WORDS hashes folded into one number, as a Set; returned sorted.
 */
function referenceShingles(document: Document): number[] {
  const words: number[] = [];
  for (const section of document.sections)
    for (const paragraph of section.paragraphs)
      for (const word of paragraph.text.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
        if (!word) continue;
        let hash = 0x811c9dc5;
        for (let index = 0; index < word.length; index++) hash = Math.imul(hash ^ word.charCodeAt(index), 0x01000193);
        words.push(hash >>> 0);
      }
  const shingles = new Set<number>();
  for (let index = 0; index + SHINGLE_WORDS <= words.length; index++) {
    let high = 0x811c9dc5;
    let low = 0x01000193;
    for (let offset = 0; offset < SHINGLE_WORDS; offset++) {
      high = Math.imul(high ^ words[index + offset]!, 0x01000193);
      low = Math.imul(low ^ words[index + offset]!, 0x5bd1e995) ^ (low >>> 15);
    }
    shingles.add((high >>> 0) * 0x100000 + (low >>> 12));
  }
  return [...shingles].sort((a, b) => a - b);
}

describe('content continuity shingles', () => {
  it('are the distinct shingles of the definition, sorted, on a page of each country of the sample', () => {
    for (const key of CORPUS_COUNTRIES.map((country, index) => `${country}/${CORPUS_YEARS[index]!}`)) {
      const [got, want] = [shinglesOf(key), referenceShingles(reads.get(key)!.document)];
      // Compared by a loop: toEqual on 30,000-element arrays, 54 times, took seconds.
      expect({ key, length: got.length, firstDifference: want.findIndex((shingle, index) => got[index] !== shingle) }).toEqual({
        key,
        length: want.length,
        firstDifference: -1,
      });
    }
  });

  it('split words as the Unicode classes do: accents, other scripts, astral letters and digits, lone surrogates, case', () => {
    const sample = reads.get('russia/2024')!.document;
    const pieces = [
      'Word',
      'b',
      '42',
      'é',
      'Ünïcode',
      'Казахстан',
      '中文',
      '\u{1D400}',
      '\u{1F600}',
      '\u0661\u0662',
      '\ud800',
      '\udc00',
      'İ',
      ' ',
      '-',
      '.',
      '\u00a0',
    ];
    fc.assert(
      fc.property(fc.array(fc.array(fc.constantFrom(...pieces), { maxLength: 40 }), { minLength: 1, maxLength: 4 }), (paragraphs) => {
        const document: Document = {
          ...sample,
          sections: [{ ...sample.sections[0]!, paragraphs: paragraphs.map((parts) => ({ text: parts.join('') })) }],
        };
        expect([...documentShingles(document)]).toEqual(referenceShingles(document));
      }),
      { numRuns: 300, seed: 20_261_203 },
    );
  });

  it('measure the Jaccard similarity of the two sets', () => {
    const [a, b] = [reads.get('china/2019')!.document, reads.get('china/2020')!.document].map(referenceShingles) as [number[], number[]];
    const inB = new Set(b);
    const shared = a.filter((shingle) => inB.has(shingle)).length;
    expect(shingleSimilarity(shinglesOf('china/2019'), shinglesOf('china/2020'))).toBe(shared / (a.length + b.length - shared));
  });
});

describe('series lineage', () => {
  it('measures text continuity well apart: consecutive editions of one report above the threshold, two reports below', () => {
    let lowestSame = 1;
    let highestOther = 0;
    for (const country of CORPUS_COUNTRIES) {
      for (const year of CORPUS_YEARS.slice(0, -1))
        lowestSame = Math.min(lowestSame, shingleSimilarity(shinglesOf(`${country}/${year}`), shinglesOf(`${country}/${year + 1}`)));
      for (const other of CORPUS_COUNTRIES.filter((candidate) => candidate !== country)) {
        for (const year of CORPUS_YEARS.slice(0, -1)) {
          highestOther = Math.max(highestOther, shingleSimilarity(shinglesOf(`${country}/${year}`), shinglesOf(`${other}/${year + 1}`)));
        }
      }
    }
    expect(lowestSame).toBeGreaterThanOrEqual(CONTINUITY_AGREES);
    expect(highestOther).toBeLessThan(CONTINUITY_AGREES);
    expect(lowestSame / highestOther).toBeGreaterThan(1.8);
  });

  it("joins China's three slugs from the pages' evidence, with no alias table, and records each link's evidence", () => {
    const facts = corpusFacts();
    const decision = decideLineages(facts, [], similaritiesFor(facts));
    expect(decision.lineages.map((lineage) => [lineage.id, lineage.editions.length])).toEqual(
      CORPUS_COUNTRIES.map((country) => [`hrr/${country}`, 9]),
    );
    const china = lineageOf(decision, 'hrr/china')!;
    expect(china.members).toEqual([
      'hrr/china-includes-tibet-hong-kong-and-macau',
      'hrr/china-includes-tibet-hong-kong-and-macau-china',
      'hrr/china',
    ]);
    expect(china.links.map((link) => [link.from, link.to, link.decidedBy])).toEqual([
      ['hrr/china-includes-tibet-hong-kong-and-macau-china', 'hrr/china', 'evidence'],
      ['hrr/china-includes-tibet-hong-kong-and-macau', 'hrr/china-includes-tibet-hong-kong-and-macau-china', 'evidence'],
    ]);
    const handOver = china.links[0]!.transitions[0]!;
    expect(handOver).toMatchObject({
      from: { edition: 2018 },
      to: { edition: 2019 },
      taxonomy: { verdict: 'agree', from: ['china'], to: ['china'] },
      name: { verdict: 'agree', to: 'China (Includes Hong Kong, Macau, and Tibet)' },
      content: { verdict: 'agree' },
      supports: true,
    });
  });

  it('links a rename whose page carries a wrong taxonomy term (Kazakhstan 2023 is tagged with another country) on name and text', () => {
    const facts = corpusFacts((country, year, series) => (country === 'kazakhstan' && year >= 2023 ? 'hrr/renamed-slug' : series));
    expect(reads.get('kazakhstan/2023')!.identity.signals.taxonomy).not.toContain('kazakhstan');
    const lineage = lineageOf(decideLineages(facts, [], similaritiesFor(facts)), 'hrr/renamed-slug')!;
    expect(lineage.members).toEqual(['hrr/kazakhstan', 'hrr/renamed-slug']);
    expect(lineage.links[0]!.transitions[0]).toMatchObject({
      taxonomy: { verdict: 'disagree' },
      name: { verdict: 'agree' },
      content: { verdict: 'agree' },
      supports: true,
    });
  });

  it('links a slug that switches back and forth (two hand-overs), and never joins two countries that share no edition', () => {
    const facts = corpusFacts((country, year, series) => {
      if (country === 'nigeria' && year >= 2019 && year <= 2020) return 'hrr/federal-republic-of-nigeria';
      // Andorra's series stops at 2019 and Tuvalu's starts at 2020: disjoint, and still two reports.
      if (country === 'andorra' && year >= 2020) return 'hrr/andorra-later';
      if (country === 'tuvalu' && year < 2020) return 'hrr/tuvalu-earlier';
      return series;
    });
    const decision = decideLineages(facts, [], similaritiesFor(facts));
    const nigeria = lineageOf(decision, 'hrr/nigeria')!;
    expect(nigeria.members.sort()).toEqual(['hrr/federal-republic-of-nigeria', 'hrr/nigeria']);
    expect(nigeria.links[0]!.transitions.map((transition) => `${transition.from.edition}->${transition.to.edition}`)).toEqual([
      '2018->2019',
      '2020->2021',
    ]);
    expect(lineageOf(decision, 'hrr/andorra')!.members.sort()).toEqual(['hrr/andorra', 'hrr/andorra-later']);
    expect(lineageOf(decision, 'hrr/tuvalu')!.members.sort()).toEqual(['hrr/tuvalu', 'hrr/tuvalu-earlier']);
  });

  it('needs two signals: a name and a taxonomy term alone that agree still lose to text that disagrees', () => {
    const facts: SeriesPageFacts[] = [
      { page: 'a', series: 'hrr/a', edition: 2018, profile: 'state-hrr', signals: { name: 'Atlantis', taxonomy: ['atlantis'] } },
      { page: 'b', series: 'hrr/b', edition: 2019, profile: 'state-hrr', signals: { name: 'Atlantis', taxonomy: ['atlantis'] } },
      { page: 'c', series: 'hrr/c', edition: 2019, profile: 'state-hrr', signals: { name: 'Lemuria', taxonomy: ['lemuria'] } },
    ];
    expect(contentComparisonsNeeded(facts)).toEqual([{ from: 'a', to: 'b' }]);
    expect(lineageOf(decideLineages(facts, [], new Map([[similarityKey('a', 'b'), 0.01]])), 'hrr/a')!.members).toEqual(['hrr/a']);
    expect(lineageOf(decideLineages(facts, [], new Map([[similarityKey('a', 'b'), 0.05]])), 'hrr/a')!.members).toEqual(['hrr/a', 'hrr/b']);
    // Text that continues, with only one other signal agreeing: linked; with none: not.
    const onlyText = facts.map((fact) => (fact.page === 'b' ? { ...fact, signals: { name: 'Mu', taxonomy: ['mu'] } } : fact));
    expect(lineageOf(decideLineages(onlyText, [], new Map([[similarityKey('a', 'b'), 0.6]])), 'hrr/a')!.members).toEqual(['hrr/a']);
  });

  describe('overrides', () => {
    const facts = corpusFacts();
    const similarities = similaritiesFor(facts);
    const decision = decideLineages(facts, [], similarities);
    const unlink: LineageOverride = {
      a: 'hrr/china',
      b: 'hrr/china-includes-tibet-hong-kong-and-macau-china',
      action: 'unlink',
      decidedAt: at('2026-01-02T00:00:00.000Z'),
    };

    it('an unlink splits a lineage for good, and a link joins series the evidence would not', () => {
      const split = decideLineages(facts, [unlink], similarities);
      expect(lineageOf(split, 'hrr/china')!.members).toEqual(['hrr/china']);
      expect(lineageOf(split, 'hrr/china-includes-tibet-hong-kong-and-macau')!.id).toBe('hrr/china-includes-tibet-hong-kong-and-macau-china');
      // Linking the 2016-2017 slug to the new one directly is refused too: it would join what the unlink keeps apart.
      expect(() => checkLink(split, [unlink], 'hrr/china-includes-tibet-hong-kong-and-macau', 'hrr/china')).toThrow(/unlinked on 2026-01-02/);

      const renamed = corpusFacts((country, year, series) => (country === 'tuvalu' && year >= 2020 ? 'hrr/elsewhere' : series)).map((fact) =>
        fact.series === 'hrr/elsewhere' ? { ...fact, signals: {} } : fact,
      );
      const apart = decideLineages(renamed, [], similaritiesFor(renamed));
      expect(lineageOf(apart, 'hrr/elsewhere')!.members).toEqual(['hrr/elsewhere']);
      checkLink(apart, [], 'hrr/tuvalu', 'hrr/elsewhere');
      const link: LineageOverride = { a: 'hrr/elsewhere', b: 'hrr/tuvalu', action: 'link', decidedAt: at('2026-01-03T00:00:00.000Z') };
      const joined = lineageOf(decideLineages(renamed, [link], similaritiesFor(renamed)), 'hrr/tuvalu')!;
      expect(joined.members).toEqual(['hrr/tuvalu', 'hrr/elsewhere']);
      expect(joined.links).toEqual([
        expect.objectContaining({ from: 'hrr/tuvalu', to: 'hrr/elsewhere', decidedBy: 'override', decidedAt: '2026-01-03T00:00:00.000Z' }),
      ]);
    });

    it('refuses, naming the problem, a link that would make a cycle, two pages of one edition, or join unknown series', () => {
      expect(() => checkLink(decision, [], 'hrr/china-includes-tibet-hong-kong-and-macau', 'hrr/china')).toThrow(LineageConflictError);
      expect(() => checkLink(decision, [], 'hrr/china-includes-tibet-hong-kong-and-macau', 'hrr/china')).toThrow(
        'hrr/china-includes-tibet-hong-kong-and-macau and hrr/china are already one series (hrr/china: hrr/china-includes-tibet-hong-kong-and-macau - hrr/china-includes-tibet-hong-kong-and-macau-china - hrr/china): another link would make a cycle',
      );
      expect(() => checkLink(decision, [], 'hrr/andorra', 'hrr/tuvalu')).toThrow(
        'hrr/andorra and hrr/tuvalu both have edition 2016 (pages andorra/2016 and tuvalu/2016)',
      );
      expect(() => checkLink(decision, [], 'hrr/andorra', 'hrr/atlantis')).toThrow(NotFoundError);
      expect(() => checkLink(decision, [], 'hrr/andorra', 'hrr/andorra')).toThrow(ValidationError);
    });

    it('unlinks only a direct link, and says which links join two series that are not linked directly', () => {
      expect(checkUnlink(decision, 'hrr/china', 'hrr/china-includes-tibet-hong-kong-and-macau-china')).toMatchObject({ decidedBy: 'evidence' });
      expect(() => checkUnlink(decision, 'hrr/china', 'hrr/china-includes-tibet-hong-kong-and-macau')).toThrow(
        /not linked directly: hrr\/china links them through/,
      );
      expect(() => checkUnlink(decision, 'hrr/china', 'hrr/russia')).toThrow(
        'hrr/china and hrr/russia are not linked (they are the series hrr/china and hrr/russia)',
      );
    });

    it('an override that no longer fits (a later page fills the same edition) is set aside with the reason', () => {
      const link: LineageOverride = { a: 'hrr/andorra', b: 'hrr/late', action: 'link', decidedAt: at('2026-01-04T00:00:00.000Z') };
      const withClash = [...facts, { page: 'late/2024', series: 'hrr/late', edition: 2024, profile: 'state-hrr', signals: {} }];
      const result = decideLineages(withClash, [link], similarities);
      expect(result.rejected).toEqual([
        expect.objectContaining({
          from: 'hrr/andorra',
          to: 'hrr/late',
          reason: 'override not applied: both have edition 2024 (pages andorra/2024 and late/2024)',
        }),
      ]);
      expect(lineageOf(result, 'hrr/late')!.members).toEqual(['hrr/late']);
    });
  });
});
