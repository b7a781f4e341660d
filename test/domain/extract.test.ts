import { ExtractionError } from '../../shared/errors.js';
import { extract } from '../../shared/domain/extract.js';
import { numberLabel, slugifyHeading, splitHeadingNumber } from '../../shared/domain/section-keys.js';
import { selectProfile, stateHrrProfile } from '../../shared/domain/profiles/index.js';

const genericPage = `<!doctype html>
<html><head>
  <title>Annual Report - Example Agency</title>
  <link rel="canonical" href="/reports/annual">
  <meta property="article:published_time" content="2024-05-01T10:00:00Z">
  <script type="application/ld+json">{"@graph":[{"@type":"WebPage","dateModified":"2024-06-02T08:30:00Z"}]}</script>
</head><body>
  <header><nav><a href="/">Home</a> <a href="/about">About us</a></nav><h1>Example Agency</h1></header>
  <div class="cookie-banner"><p>We use cookies.</p></div>
  <main>
    <h1>Annual Report</h1>
    <p>Opening words&nbsp;with   spaces and a zero\u200Bwidth joiner &amp; an entity.</p>
    <h2>1. Findings</h2>
    <p>First finding.</p>
    <aside><p>Related: other reports</p></aside>
    <h3>1.1 Detail</h3>
    <ul><li>One item.</li><li>Two item.</li></ul>
    <h2>Outlook</h2>
    <p>Quote: “kept as is” and CASE Kept.</p>
    <script>var x = "not text";</script>
    <button>Share</button>
  </main>
  <footer><p>Copyright</p></footer>
</body></html>`;

describe('extract with the generic profile', () => {
  const document = extract(genericPage, { url: 'https://example.org/reports/annual?utm=1' });

  it('reads the main landmark as an h1-h6 tree, with chrome removed', () => {
    expect(document.profile).toBe('generic');
    expect(document.sections.map((section) => [section.key, section.level, section.number ?? null, section.paragraphs.length])).toEqual([
      ['annual-report', 1, null, 1],
      ['annual-report/findings', 2, '1', 1],
      ['annual-report/findings/detail', 3, '1.1', 2],
      ['annual-report/outlook', 2, null, 1],
    ]);
    const allText = document.sections.flatMap((section) => section.paragraphs.map((p) => p.text)).join(' | ');
    expect(allText).not.toMatch(/cookies|Home|Related|Copyright|Share|not text/);
  });

  it('normalises whitespace, entities and zero-width characters but keeps the wording', () => {
    expect(document.sections[0]!.paragraphs[0]!.text).toBe('Opening words with spaces and a zerowidth joiner & an entity.');
    expect(document.sections[3]!.paragraphs[0]!.text).toBe('Quote: “kept as is” and CASE Kept.');
  });

  it('reads metadata from the head', () => {
    expect(document.canonicalUrl).toBe('https://example.org/reports/annual');
    expect(document.title).toBe('Annual Report - Example Agency');
    expect(document.published).toBe('2024-05-01T10:00:00.000Z');
    expect(document.modified).toBe('2024-06-02T08:30:00.000Z');
    expect(document.series).toBeUndefined();
  });

  it('falls back to the body when there is no main or article landmark', () => {
    const page = '<html><body><nav>Menu</nav><h2>Only</h2><p>Body text.</p><footer>Foot</footer></body></html>';
    const fallback = extract(page, { url: 'https://example.org/x' });
    expect(fallback.sections).toEqual([{ key: 'only', heading: 'Only', level: 1, paragraphs: [{ text: 'Body text.' }] }]);
  });

  it('puts text before the first heading in an Introduction section', () => {
    const page = '<main><p>Lead paragraph.</p><h2>Next</h2><p>More.</p></main>';
    expect(extract(page, { url: 'https://example.org/y' }).sections.map((s) => s.key)).toEqual(['introduction', 'next']);
  });
});

describe('extract errors', () => {
  it('refuses an empty page', () => {
    expect(() => extract('   ')).toThrow(ExtractionError);
  });

  it('reports a state.gov error page served with 200 as body-missing', () => {
    const errorPage = '<html><body><h1>Page not found</h1><p>Sorry, we could not find that page.</p></body></html>';
    try {
      extract(errorPage, { url: 'https://www.state.gov/reports/2024-country-reports-on-human-rights-practices/kazakhstan' });
      throw new Error('expected an ExtractionError');
    } catch (error) {
      expect(error).toBeInstanceOf(ExtractionError);
      expect((error as ExtractionError).reason).toBe('body-missing');
    }
  });

  it('reports a report body whose headings are gone as structure lost', () => {
    const lost = '<section class="report__main"><p>Text without any heading.</p></section>';
    expect(() => extract(lost, { url: 'https://www.state.gov/reports/2023-country-reports-on-human-rights-practices/nigeria/' })).toThrow(
      /structure was lost/,
    );
  });

  it('refuses an unknown profile name', () => {
    expect(() => extract('<p>x</p>', { profile: 'nope' })).toThrow(/Unknown profile/);
  });
});

describe('state-hrr profile', () => {
  const url = (path: string) => new URL(`https://www.state.gov${path}`);

  it('is chosen from the URL path and gives series (the URL slug), edition and the normal URL', () => {
    const cases: Array<[string, string, number]> = [
      [
        '/reports/2016-country-reports-on-human-rights-practices/china-includes-tibet-hong-kong-and-macau/',
        'hrr/china-includes-tibet-hong-kong-and-macau',
        2016,
      ],
      [
        '/reports/2018-country-reports-on-human-rights-practices/china-includes-tibet-hong-kong-and-macau-china/',
        'hrr/china-includes-tibet-hong-kong-and-macau-china',
        2018,
      ],
      ['/reports/2024-country-reports-on-human-rights-practices/china', 'hrr/china', 2024],
      ['/reports/2023-country-reports-on-human-rights-practices/china/hong-kong/', 'hrr/china/hong-kong', 2023],
      ['/reports/2019-Country-Reports-on-Human-Rights-Practices/Kazakhstan/', 'hrr/kazakhstan', 2019],
    ];
    for (const [path, series, edition] of cases) {
      expect(selectProfile(url(path)).name).toBe('state-hrr');
      const canonicalUrl = url(`${path.toLowerCase().replace(/\/$/, '')}/`).toString();
      expect(stateHrrProfile.identify(url(path))).toEqual({ series, edition, canonicalUrl });
    }
    expect(selectProfile(url('/reports/2023-trafficking-in-persons-report/')).name).toBe('generic');
  });

  it('is chosen from the canonical link when no URL is given', () => {
    const page = `<html><head><link rel="canonical" href="https://www.state.gov/reports/2022-country-reports-on-human-rights-practices/tuvalu/"></head>
      <body><section class="report__main"><h2 id="report-toc__exec-summary" class="report__section-title">Executive Summary</h2><p>Text.</p></section></body></html>`;
    const document = extract(page);
    expect([document.profile, document.series, document.edition, document.url]).toEqual([
      'state-hrr',
      'hrr/tuvalu',
      2022,
      'https://www.state.gov/reports/2022-country-reports-on-human-rights-practices/tuvalu/',
    ]);
  });
});

describe('section keys', () => {
  it('strips outline numbering and folds case, quotes, diacritics and punctuation', () => {
    expect(slugifyHeading('a. Freedom of Speech and Press')).toBe('freedom-of-speech-and-press');
    expect(slugifyHeading('ROLE OF THE POLICE AND SECURITY APPARATUS')).toBe('role-of-the-police-and-security-apparatus');
    expect(slugifyHeading('Workers’ Rights')).toBe('workers-rights');
    expect(slugifyHeading("Côte d'Ivoire & Friends:")).toBe('cote-divoire-and-friends');
    expect(slugifyHeading('2024 Elections')).toBe('2024-elections');
  });

  it('caps long headings at a word boundary', () => {
    const key = slugifyHeading('Governmental Attitude Regarding International and Nongovernmental Investigation of Alleged Abuses of Human Rights');
    expect(key).toBe('governmental-attitude-regarding-international');
    expect(key.length).toBeLessThanOrEqual(48);
  });

  it('splits number labels', () => {
    expect(splitHeadingNumber('c. Torture')).toEqual({ heading: 'Torture', label: 'c' });
    expect(splitHeadingNumber('Section 2. Respect')).toEqual({ heading: 'Respect', label: '2' });
    expect(splitHeadingNumber('U.S. Policy')).toEqual({ heading: 'U.S. Policy' });
    expect(numberLabel('Section 4.')).toBe('4');
    expect(numberLabel('Section 4. Corruption')).toBeUndefined();
  });
});

describe('cleanText', () => {
  it('collapses every kind of whitespace, drops invisible characters and trims, leaving clean text untouched', async () => {
    const { cleanText } = await import('../../shared/domain/extracted-text.js');
    expect(cleanText('  a\u00a0\u00a0b\tc\n\u2028d\u3000 ')).toBe('a b c d');
    expect(cleanText('zero\u200Bwidth soft\u00ADhyphen\uFEFF')).toBe('zerowidth softhyphen');
    const clean = 'Already “clean” text, with CASE.';
    expect(cleanText(clean)).toBe(clean);
    expect(cleanText(' \u200B ')).toBe('');
  });
});
