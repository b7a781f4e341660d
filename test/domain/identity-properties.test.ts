import fc from 'fast-check';
import type { Document } from '../../shared/domain/document.js';
import { readPage, type ReadPage } from '../../shared/domain/extract.js';
import { documentShingles, shingleSimilarity, type ShingleSet } from '../../shared/domain/identity/content-continuity.js';
import { contentComparisonsNeeded, decideLineages, similarityKey, type SeriesPageFacts } from '../../shared/domain/identity/series-lineage.js';
import { replacePageUrl, waybackWrap, withoutUrlEvidence, type UrlEvidence } from '../support/archive-rewrites.js';
import { CORPUS_COUNTRIES, CORPUS_YEARS, corpusPages, loadCorpusPage, type CorpusCountry } from '../support/corpus.js';

/**
 * Identity and lineage are decided per page from evidence, so they must survive what real archives do to pages.
 * Each property rewrites real sample pages one way archives differ (Wayback wrapping, respelled slugs, no canonical
 * link, a slug renamed between editions) and checks that the identity, the lineage and the extracted Document come
 * out as for the original pages. Runs are bounded by count, with fixed seeds.
 */

const PAGES = corpusPages();
const original = new Map<string, ReadPage>();
function originalOf(country: CorpusCountry, year: number): ReadPage {
  const key = `${country}/${year}`;
  let read = original.get(key);
  if (!read) original.set(key, (read = readPage(loadCorpusPage(country, year))));
  return read;
}

const identityOf = (read: ReadPage) => ({
  profile: read.identity.profile.name,
  series: read.identity.series,
  edition: read.identity.edition,
  canonicalUrl: read.identity.canonicalUrl,
});

const page = fc.constantFrom(...PAGES);
const timestamp = fc
  .record({ time: fc.integer({ min: Date.UTC(2017, 0, 1), max: Date.UTC(2025, 7, 1) }), digits: fc.constantFrom(4, 6, 8, 10, 12, 14) })
  .map(({ time, digits }) => new Date(time).toISOString().replace(/\D/g, '').slice(0, 14).slice(0, digits));

/** The start of the period a cut timestamp names, as the archive reads it. */
function periodStart(stamp: string): string {
  const padded = stamp.padEnd(14, '0');
  const month = stamp.length >= 6 ? padded.slice(4, 6) : '01';
  const day = stamp.length >= 8 ? padded.slice(6, 8) : '01';
  return new Date(`${padded.slice(0, 4)}-${month}-${day}T${padded.slice(8, 10)}:${padded.slice(10, 12)}:${padded.slice(12, 14)}Z`).toISOString();
}

describe('identity from evidence, on rewritten sample pages', () => {
  it('Wayback wrapping (the URL, the head, every link, the toolbar and its scripts) changes neither identity nor Document', () => {
    fc.assert(
      fc.property(
        page,
        timestamp,
        fc.record({ absolute: fc.boolean(), wrapHead: fc.boolean(), flags: fc.boolean(), givenArchiveUrl: fc.boolean() }),
        ({ country, year }, stamp, options) => {
          const base = originalOf(country, year);
          const html = waybackWrap(loadCorpusPage(country, year), { timestamp: stamp, ...options });
          const canonical = base.identity.canonicalUrl!;
          const given = options.givenArchiveUrl ? `https://web.archive.org/web/${stamp}/${canonical}` : undefined;
          const read = readPage(html, given ? { url: given } : {});
          const expected = given ? readPage(loadCorpusPage(country, year), { url: canonical }) : base;
          expect(identityOf(read)).toEqual(identityOf(expected));
          expect(read.document).toEqual(expected.document);
          // The capture time the archive states: its URL's timestamp, else its closing comment.
          expect(read.identity.archive?.capturedAt).toBe(given || options.wrapHead ? periodStart(stamp) : '2020-03-02T13:05:13.000Z');
          // Read by the generic profile (no report body to stop at), the toolbar still never reaches the Document.
          const generic = readPage(html, { profile: 'generic' });
          expect(generic.document).toEqual(readPage(loadCorpusPage(country, year), { profile: 'generic' }).document);
          expect(JSON.stringify(generic.document)).not.toMatch(/Wayback Machine|COLLECTED BY/);
        },
      ),
      { numRuns: 30, seed: 1101 },
    );
  });

  it('slug case, publishing-system suffixes, the trailing slash and a stray segment before the country change neither', () => {
    fc.assert(
      fc.property(
        page,
        fc.record({
          upper: fc.array(fc.boolean(), { minLength: 80, maxLength: 80 }),
          suffix: fc.constantFrom('', '', '__trashed', '-2', '-3'),
          slash: fc.boolean(),
          stray: fc.option(fc.stringMatching(/^[a-z]{2,8}[0-9]{1,4}[a-z]{0,6}$/), { nil: undefined }),
        }),
        ({ country, year }, variant) => {
          const base = originalOf(country, year);
          const canonical = new URL(base.identity.canonicalUrl!);
          const segments = canonical.pathname.split('/').filter(Boolean);
          const slug = segments.pop()!;
          const respelled = [...segments, ...(variant.stray ? [variant.stray] : []), `${slug}${variant.suffix}`]
            .join('/')
            .split('')
            .map((character, index) => (variant.upper[index % variant.upper.length] ? character.toUpperCase() : character))
            .join('');
          const url = `${canonical.origin}/${respelled}${variant.slash ? '/' : ''}`;
          const html = replacePageUrl(loadCorpusPage(country, year), canonical.toString(), url);
          const read = readPage(html);
          expect(identityOf(read)).toEqual(identityOf(base));
          expect(read.document).toEqual(base.document);
        },
      ),
      { numRuns: 40, seed: 1102 },
    );
  });

  it('a page without a canonical link is identified from og:url, JSON-LD, its oEmbed link or its own menu', () => {
    const evidence: UrlEvidence[] = ['og:url', 'json-ld', 'oembed'];
    fc.assert(
      fc.property(page, fc.subarray(evidence), ({ country, year }, alsoRemoved) => {
        const base = originalOf(country, year);
        const read = readPage(withoutUrlEvidence(loadCorpusPage(country, year), ['canonical', ...alsoRemoved]));
        expect(identityOf(read)).toEqual(identityOf(base));
        // The JSON-LD also carries the page's dates: without it only those can differ.
        const comparable = (document: Document) =>
          alsoRemoved.includes('json-ld') ? { ...document, published: undefined, modified: undefined } : document;
        expect(comparable(read.document)).toEqual(comparable(base.document));
        expect(read.identity.tried).toContain('no canonical link');
      }),
      { numRuns: 40, seed: 1103 },
    );
  });

  describe('a slug renamed between editions', () => {
    // By country and year: a renamed page's text is the original's (checked below), so is its set of shingles.
    const shingles = new Map<string, ShingleSet>();
    const shinglesOf = (key: string, read: ReadPage) => {
      let set = shingles.get(key);
      if (!set) shingles.set(key, (set = documentShingles(read.document)));
      return set;
    };
    const pageId = (read: ReadPage) => `${read.identity.series!.replaceAll('/', '.')}.${read.identity.edition}`;
    const factsOf = (read: ReadPage): SeriesPageFacts => ({
      page: pageId(read),
      series: read.identity.series!,
      edition: read.identity.edition!,
      profile: read.identity.profile.name,
      signals: read.identity.signals,
    });

    it('gives the renamed editions a series of their own, and lineage joins them again: each country one series of nine editions', () => {
      fc.assert(
        fc.property(
          fc.constantFrom(...CORPUS_COUNTRIES),
          fc.integer({ min: 2017, max: 2024 }),
          fc.option(fc.integer({ min: 1, max: 7 }), { nil: undefined }),
          fc.oneof(fc.constant('extended'), fc.stringMatching(/^[a-z]{4,12}$/)),
          (country, renamedFrom, switchBackAfter, newName) => {
            const switchBack = switchBackAfter !== undefined && renamedFrom + switchBackAfter <= 2024 ? renamedFrom + switchBackAfter : undefined;
            const reads = new Map<string, ReadPage>();
            for (const other of CORPUS_COUNTRIES) {
              for (const year of CORPUS_YEARS) {
                const base = originalOf(other, year);
                const renamed = other === country && year >= renamedFrom && (switchBack === undefined || year < switchBack);
                if (!renamed) {
                  reads.set(`${other}/${year}`, base);
                  continue;
                }
                const canonical = base.identity.canonicalUrl!;
                const slug = canonical.split('/').filter(Boolean).at(-1)!;
                const renamedSlug = newName === 'extended' ? `${slug}-republic` : newName;
                const read = readPage(replacePageUrl(loadCorpusPage(other, year), canonical, canonical.replace(`/${slug}/`, `/${renamedSlug}/`)));
                expect(read.identity.series).toBe(`hrr/${renamedSlug}`);
                expect(read.identity.edition).toBe(year);
                // Only the URL changed: the Document is the original's but for its own URL and series.
                expect({ ...read.document, url: base.document.url, canonicalUrl: base.document.canonicalUrl, series: base.document.series }).toEqual(
                  base.document,
                );
                reads.set(`${other}/${year}`, read);
              }
            }
            const facts = [...reads.values()].map(factsOf);
            const byPage = new Map([...reads.entries()].map(([key, read]) => [pageId(read), { key, read }]));
            const shinglesOfPage = (page: string) => shinglesOf(byPage.get(page)!.key, byPage.get(page)!.read);
            const similarities = new Map<string, number>();
            for (const { from, to } of contentComparisonsNeeded(facts)) {
              similarities.set(similarityKey(from, to), shingleSimilarity(shinglesOfPage(from), shinglesOfPage(to)));
            }
            const decision = decideLineages(facts, [], similarities);
            // Every country is one series of its nine editions, the renamed one included: nothing joined across countries.
            expect(decision.lineages).toHaveLength(CORPUS_COUNTRIES.length);
            for (const other of CORPUS_COUNTRIES) {
              const pages = CORPUS_YEARS.map((year) => pageId(reads.get(`${other}/${year}`)!));
              const lineage = decision.lineages.find((candidate) => candidate.editions.some((edition) => edition.page === pages[0]));
              expect(lineage?.editions.map((edition) => edition.page)).toEqual(pages);
              expect(lineage?.id).toBe(reads.get(`${other}/2024`)!.identity.series);
              for (const link of lineage!.links) expect(link.decidedBy).toBe('evidence');
            }
          },
        ),
        { numRuns: 20, seed: 1104 },
      );
    });
  });
});
