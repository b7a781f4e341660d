import { readPage } from '../../shared/domain/extract.js';
import { emptyEvidence, type PageEvidence } from '../../shared/domain/identity/page-evidence.js';
import { identify } from '../../shared/domain/page-identity.js';
import { stateHrrProfile } from '../../shared/domain/profiles/index.js';
import { ArchiveUrlError } from '../../shared/errors.js';
import { rewriteTags, withoutUrlEvidence } from '../support/archive-rewrites.js';
import { loadCorpusPage } from '../support/corpus.js';

/** The cases each evidence rule exists for, one at a time (the property tests mix them on every sample page). */
const ROOT = 'https://www.state.gov/reports/2019-country-reports-on-human-rights-practices';

function evidence(names: { headline?: string; title?: string }, links: string[] = []): PageEvidence {
  return {
    ...emptyEvidence(),
    headlines: names.headline ? [{ text: names.headline, classes: ['featured-content__headline', 'report-header__headline'] }] : [],
    ...(names.title ? { title: `${names.title} - United States Department of State` } : {}),
    links: links.map((url) => ({ url, text: url.split('/').filter(Boolean).at(-1)! })),
  };
}

const identifyAt = (path: string, page?: PageEvidence) => stateHrrProfile.identify(new URL(`${ROOT}/${path}`), page);

describe('reading a report URL with the page evidence', () => {
  it('leaves out a stray segment before the country that the page neither names nor links to as a report', () => {
    const identity = identifyAt('2022samplehrrwha/nigeria/', evidence({ headline: '2019 Country Reports on Human Rights Practices: Nigeria' }));
    expect(identity).toMatchObject({ series: 'hrr/nigeria', edition: 2019, canonicalUrl: `${ROOT}/nigeria/` });
    expect(identity.notes).toEqual(['URL segment "2022samplehrrwha" left out: the page neither names it nor links to it as a report']);
  });

  it('keeps a parent report before the part: named by the page, or a report its menu links to', () => {
    const named = evidence({
      headline: '2019 Country Reports on Human Rights Practices: China (Includes Hong Kong, Macau, and Tibet) \u2013 Hong Kong',
    });
    expect(identifyAt('china/hong-kong/', named)).toMatchObject({ series: 'hrr/china/hong-kong', canonicalUrl: `${ROOT}/china/hong-kong/` });
    const linked = evidence({ headline: 'Hong Kong' }, [`${ROOT}/china/`, `${ROOT}/chad/`]);
    expect(identifyAt('china/hong-kong/', linked)).toMatchObject({ series: 'hrr/china/hong-kong' });
    // The same shape with neither is a stray segment.
    expect(identifyAt('china/hong-kong/', evidence({ headline: 'Hong Kong' }))).toMatchObject({ series: 'hrr/hong-kong' });
  });

  it('reads the URL by its shape when the page says nothing: a country and a part, and no guess past that', () => {
    expect(identifyAt('ukraine/crimea/')).toMatchObject({ series: 'hrr/ukraine/crimea' });
    const three = identifyAt('a/b/c/');
    expect(three.series).toBeUndefined();
    expect(three.notes?.[0]).toMatch(/3 path segments and nothing in the page naming one of them/);
  });

  it('drops a publishing-system suffix only where the page names the country without it', () => {
    const page = evidence({ headline: '2019 Country Reports on Human Rights Practices: Ghana' });
    expect(identifyAt('ghana__trashed/', page)).toMatchObject({ series: 'hrr/ghana', canonicalUrl: `${ROOT}/ghana/` });
    expect(identifyAt('Ghana-2/', page)).toMatchObject({ series: 'hrr/ghana' });
    // A name that really ends in a number keeps it; with no name, the slug stays as the URL has it.
    expect(identifyAt('region-2/', evidence({ headline: 'Region 2' }))).toMatchObject({ series: 'hrr/region-2' });
    expect(identifyAt('ghana-2/')).toMatchObject({ series: 'hrr/ghana-2' });
    // A slug that is nothing but the suffix (a post restored from the trash): the page's name is the slug.
    expect(identifyAt('__trashed/', evidence({ headline: '2018 Country Reports on Human Rights Practices: Burundi' }))).toMatchObject({
      series: 'hrr/burundi',
    });
  });

  it('normalises case and the trailing slash, and unwraps an archive URL given alone', () => {
    expect(identify(`${ROOT.toUpperCase().replace('HTTPS://WWW.STATE.GOV', 'https://www.state.gov')}/KAZAKHSTAN`).identity).toMatchObject({
      series: 'hrr/kazakhstan',
      edition: 2019,
      canonicalUrl: `${ROOT}/kazakhstan/`,
    });
    expect(identify(`https://web.archive.org/web/20200302130513/${ROOT}/kazakhstan/`).identity.series).toBe('hrr/kazakhstan');
    expect(() => identify(`https://web.archive.org/web/2020xx/${ROOT}/kazakhstan/`)).toThrow(ArchiveUrlError);
  });
});

describe('the page without a usable canonical link', () => {
  const html = loadCorpusPage('kazakhstan', 2019);
  const canonical = `${ROOT}/kazakhstan/`;

  it('says what it could not use (a local file, a malformed archive URL) and goes on to the next evidence', () => {
    const local = rewriteTags(html, (name, attributes) =>
      name === 'link' && attributes.rel === 'canonical' ? { ...attributes, href: 'file:///C:/Users/me/Desktop/kazakhstan.html' } : undefined,
    );
    const read = readPage(local);
    expect(read.identity).toMatchObject({ series: 'hrr/kazakhstan', canonicalUrl: canonical, identifiedBy: 'og:url' });
    expect(read.identity.tried).toEqual(['canonical link "file:///C:/Users/me/Desktop/kazakhstan.html": not a web address (a local file)']);

    const malformed = rewriteTags(html, (name, attributes) =>
      name === 'link' && attributes.rel === 'canonical' ? { ...attributes, href: `https://web.archive.org/web/2020abc/${canonical}` } : undefined,
    );
    const archived = readPage(malformed);
    expect(archived.identity.series).toBe('hrr/kazakhstan');
    expect(archived.identity.tried[0]).toMatch(/^canonical link: Malformed archive URL .*"2020abc" is not a capture timestamp/);
    // Given by the caller, a malformed archive URL is the caller's error.
    expect(() => readPage(html, { url: `https://web.archive.org/web/2020abc/${canonical}` })).toThrow(ArchiveUrlError);
  });

  it('with no URL of its own anywhere, is found by its headline and the taxonomy term that spells its name (not a wrong term)', () => {
    const kazakhstan2023 = loadCorpusPage('kazakhstan', 2023);
    const bare = withoutUrlEvidence(
      kazakhstan2023,
      ['canonical', 'og:url', 'json-ld', 'oembed', 'menu'],
      'https://www.state.gov/reports/2023-country-reports-on-human-rights-practices/kazakhstan/',
    );
    const read = readPage(bare);
    expect(read.identity.signals.taxonomy).toEqual(['ethiopia']);
    expect(read.identity).toMatchObject({ series: 'hrr/kazakhstan', edition: 2023, identifiedBy: 'the headline "Kazakhstan" (2023)' });
  });

  it('fails only when nothing identifies it, saying what it tried', () => {
    const russia2023 = loadCorpusPage('russia', 2023);
    const bare = withoutUrlEvidence(
      russia2023,
      ['canonical', 'og:url', 'json-ld', 'oembed', 'menu'],
      'https://www.state.gov/reports/2023-country-reports-on-human-rights-practices/russia/',
    );
    const read = readPage(bare);
    // Its headline is "Russia" alone: no year anywhere, so no report can be named.
    expect(read.identity.canonicalUrl).toBeUndefined();
    expect(read.identity.tried).toEqual(['no canonical link', 'no og:url', "state-hrr: the page's content does not say which report it is"]);
    expect(read.document.url).toBe('about:blank');
  });
});
