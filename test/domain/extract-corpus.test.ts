import type { Element } from 'domhandler';
import { DomUtils, parseDocument } from 'htmlparser2';
import type { Document } from '../../shared/domain/document.js';
import { extract } from '../../shared/domain/extract.js';
import { corpusPages, loadCorpusPage } from '../support/corpus.js';

/**
 * Every real page of the corpus (6 countries x 2016-2024). The paragraph count is checked against an independent
 * DOM walk: every <p> with text inside section.report__main, except the "Section N." number labels and the
 * "Read a Section" navigation links, which are chrome.
 */

const CHROME_PHRASES = [
  'An official website of the United States',
  "Here's how you know",
  'Official websites use .gov',
  'Secure .gov websites use HTTPS',
  'View report by',
  'On This Page',
  'Build A Custom Report',
  'State Department Home',
  'Read a Section',
  'READ SECTION',
  'Back to Top',
  'In this section /',
];

function domParagraphCount(html: string): number {
  const dom = parseDocument(html);
  const main = DomUtils.findOne(
    (element) => element.name === 'section' && (element.attribs.class ?? '').split(/\s+/).includes('report__main'),
    dom.children,
    true,
  );
  if (!main) throw new Error('fixture has no report body');
  return DomUtils.findAll((element) => element.name === 'p', [main]).filter((paragraph) => {
    if ((paragraph.attribs.class ?? '').split(/\s+/).includes('report-toc-section')) return false;
    const text = DomUtils.textContent(paragraph)
      .replace(/[\s\u00a0\u200b]+/g, ' ')
      .trim();
    if (!/[\p{L}\p{N}]/u.test(text) || /^read (a )?section/i.test(text)) return false;
    const previous = DomUtils.prevElementSibling(paragraph) as Element | null;
    return !(previous && /^h\d$/.test(previous.name) && /^read (a )?section/i.test(DomUtils.textContent(previous).trim()));
  }).length;
}

function outline(document: Document): string[] {
  return document.sections.map((section) => `${'  '.repeat(section.level - 1)}${section.number ? `${section.number} ` : ''}${section.heading}`);
}

describe.each(corpusPages().map((page) => [`${page.country} ${page.year}`, page] as const))('corpus page %s', (_name, page) => {
  const html = loadCorpusPage(page.country, page.year);
  const document = extract(html);
  const bodyText = document.sections.flatMap((section) => [section.heading, ...section.paragraphs.map((p) => p.text)]);

  it('reads metadata: profile, series, edition, canonical URL, title and dates', () => {
    expect(document.profile).toBe('state-hrr');
    // The page's own series is its URL's slug (a renamed slug is another series, which lineage links: series-lineage tests).
    const slug = /\/([a-z-]+)\/?$/.exec(document.canonicalUrl)![1]!;
    expect(document.series).toBe(`hrr/${slug}`);
    expect(slug.startsWith(page.country)).toBe(true);
    expect(document.edition).toBe(page.year);
    // Normal form: with a trailing slash (2024's canonical links have none, its og:url has one).
    expect(document.canonicalUrl).toMatch(
      new RegExp(`^https://www\\.state\\.gov/reports/${page.year}-country-reports-on-human-rights-practices/[a-z-]+/$`),
    );
    // The page's own headline: usually "<year> Country Reports on Human Rights Practices: <Country>" (Russia 2023: "Russia").
    expect(document.title.toLowerCase()).toContain(page.country);
    if (page.year === 2024) {
      // The 2024 pages carry no JSON-LD dates, only article:modified_time.
      expect(document.published).toBeUndefined();
      expect(document.modified?.slice(0, 10)).toBe('2025-08-12');
    } else {
      expect(document.published?.slice(0, 4)).toBe(String(page.year + 1));
      expect(document.modified?.slice(0, 10)).toBe('2025-01-03');
    }
  });

  it('keeps no chrome text', () => {
    for (const phrase of CHROME_PHRASES) {
      expect(bodyText.filter((text) => text.toLowerCase().includes(phrase.toLowerCase()))).toEqual([]);
    }
    // The table of contents repeats headings as "Section N. Title": none may turn up as a paragraph.
    expect(bodyText.filter((text) => /^Section \d+\.\s/.test(text))).toEqual([]);
  });

  it('has no empty leaf sections and unique keys', () => {
    const parents = new Set(document.sections.map((section) => section.parentKey));
    expect(document.sections.filter((s) => s.paragraphs.length === 0 && !parents.has(s.key)).map((s) => s.key)).toEqual([]);
    expect(new Set(document.sections.map((section) => section.key)).size).toBe(document.sections.length);
    for (const section of document.sections) {
      if (section.parentKey) expect(section.key.startsWith(`${section.parentKey}/`)).toBe(true);
    }
  });

  it('extracts exactly the <p> elements of the report body', () => {
    const extracted = document.sections.reduce((total, section) => total + section.paragraphs.length, 0);
    expect(extracted).toBe(domParagraphCount(html));
  });

  it('starts with the Executive Summary and numbers the sections from 1', () => {
    expect(document.sections[0]!.key).toBe('executive-summary');
    const numbered = document.sections.filter((section) => section.level === 1 && section.number);
    expect(numbered.map((section) => section.number)).toEqual(numbered.map((_section, index) => String(index + 1)));
    expect(numbered.length).toBe(page.year === 2024 ? 3 : 7);
  });
});

/** Heading outlines checked by hand against the pages' markup: number, heading and depth (two spaces a level). */
const EXPECTED_OUTLINES: Record<'kazakhstan' | 'china', Record<number, string[]>> = {
  kazakhstan: {
    2016: [
      'EXECUTIVE SUMMARY',
      '1 Respect for the Integrity of the Person, Including Freedom from:',
      '  1.a Arbitrary Deprivation of Life and other Unlawful or Politically Motivated Killings',
      '  1.b Disappearance',
      '  1.c Torture and Other Cruel, Inhuman, or Degrading Treatment or Punishment',
      '    Prison and Detention Center Conditions',
      '  1.d Arbitrary Arrest or Detention',
      '    ROLE OF THE POLICE AND SECURITY APPARATUS',
      '    ARREST PROCEDURES AND TREATMENT OF DETAINEES',
      '  1.e Denial of Fair Public Trial',
      '    TRIAL PROCEDURES',
      '    POLITICAL PRISONERS AND DETAINEES',
      '    CIVIL JUDICIAL PROCEDURES AND REMEDIES',
      '  1.f Arbitrary or Unlawful Interference with Privacy, Family, Home, or Correspondence',
      '2 Respect for Civil Liberties, Including:',
      '  2.a Freedom of Speech and Press',
      '    INTERNET FREEDOM',
      '    ACADEMIC FREEDOM AND CULTURAL EVENTS',
      '  2.b Freedom of Peaceful Assembly and Association',
      '    FREEDOM OF ASSEMBLY',
      '    FREEDOM OF ASSOCIATION',
      '  2.c Freedom of Religion',
      '  2.d Freedom of Movement, Internally Displaced Persons, Protection of Refugees, and Stateless Persons',
      '    PROTECTION OF REFUGEES',
      '    STATELESS PERSONS',
      '3 Freedom to Participate in the Political Process',
      '  Elections and Political Participation',
      '4 Corruption and Lack of Transparency in Government',
      '5 Governmental Attitude Regarding International and Nongovernmental Investigation of Alleged Violations of Human Rights',
      '6 Discrimination, Societal Abuses, and Trafficking in Persons',
      '  Women',
      '  Children',
      '  Anti-Semitism',
      '  Trafficking in Persons',
      '  Persons with Disabilities',
      '  National/Racial/Ethnic Minorities',
      '  Acts of Violence, Discrimination, and Other Abuses Based on Sexual Orientation and Gender Identity',
      '  HIV and AIDS Social Stigma',
      '7 Worker Rights',
      '  7.a Freedom of Association and the Right to Collective Bargaining',
      '  7.b Prohibition of Forced or Compulsory Labor',
      '  7.c Prohibition of Child Labor and Minimum Age for Employment',
      '  7.d Discrimination with Respect to Employment and Occupation',
      '  7.e Acceptable Conditions of Work',
    ],
    2020: [
      'Executive Summary',
      '1 Respect for the Integrity of the Person, Including Freedom from:',
      '  1.a Arbitrary Deprivation of Life and Other Unlawful or Politically Motivated Killings',
      '  1.b Disappearance',
      '  1.c Torture and Other Cruel, Inhuman, or Degrading Treatment or Punishment',
      '    Prison and Detention Center Conditions',
      '  1.d Arbitrary Arrest or Detention',
      '    Arrest Procedures and Treatment of Detainees',
      '  1.e Denial of Fair Public Trial',
      '    Trial Procedures',
      '    Political Prisoners and Detainees',
      '    Politically Motivated Reprisal against Individuals Located Outside the Country',
      '    Civil Judicial Procedures and Remedies',
      '  1.f Arbitrary or Unlawful Interference with Privacy, Family, Home, or Correspondence',
      '2 Respect for Civil Liberties, Including:',
      '  2.a Freedom of Expression, Including for the Press',
      '    Internet Freedom',
      '    Academic Freedom and Cultural Events',
      '  2.b Freedoms of Peaceful Assembly and Association',
      '    Freedom of Peaceful Assembly',
      '    Freedom of Association',
      '  2.c Freedom of Religion',
      '  2.d Freedom of Movement',
      '  2.e Status and Treatment of Internally Displaced Persons',
      '  2.f Protection of Refugees',
      '  2.g Stateless Persons',
      '3 Freedom to Participate in the Political Process',
      '  Elections and Political Participation',
      '4 Corruption and Lack of Transparency in Government',
      '5 Governmental Attitude Regarding International and Nongovernmental Investigation of Alleged Abuses of Human Rights',
      '6 Discrimination, Societal Abuses, and Trafficking in Persons',
      '  Women',
      '  Children',
      '  Anti-Semitism',
      '  Trafficking in Persons',
      '  Persons with Disabilities',
      '  Members of National/Racial/Ethnic Minority Groups',
      '  Acts of Violence, Criminalization, and Other Abuses Based on Sexual Orientation and Gender Identity',
      '  HIV and AIDS Social Stigma',
      '7 Worker Rights',
      '  7.a Freedom of Association and the Right to Collective Bargaining',
      '  7.b Prohibition of Forced or Compulsory Labor',
      '  7.c Prohibition of Child Labor and Minimum Age for Employment',
      '  7.d Discrimination with Respect to Employment and Occupation',
      '  7.e Acceptable Conditions of Work',
    ],
    2024: [
      'EXECUTIVE SUMMARY',
      '1 Life',
      '  1.a Extrajudicial Killings',
      '  1.b Coercion in Population Control',
      '2 Liberty',
      '  2.a Freedom of the Press',
      '    Physical Attacks, Imprisonment, and Pressure',
      '    Censorship by Governments, Military, Intelligence, or Police Forces, Criminal Groups, or Armed Extremist or Rebel Groups',
      '  2.b Worker Rights',
      '    Freedom of Association and Collective Bargaining',
      '    Forced or Compulsory Labor',
      '    Acceptable Work Conditions',
      '      Wage and Hour Laws',
      '      Occupational Safety and Health',
      '      Wage, Hour, and OSH Enforcement',
      '  2.c Disappearance and Abduction',
      '    Disappearance',
      '    Prolonged Detention without Charges',
      '  2.d Violations in Religious Freedom',
      '  2.e Trafficking in Persons',
      '3 Security of the Person',
      '  3.a Torture and Cruel, Inhuman, or Degrading Treatment or Punishment',
      '  3.b Protection of Children',
      '    Child Labor',
      '    Child Marriage',
      '  3.c Protection to Refugees',
      '    Provision of First Asylum',
      '  3.d Acts of Antisemitism and Antisemitic Incitement',
      '  3.e Instances of Transnational Repression',
      '    Threats, Harassment, Surveillance, or Coercion',
      '    Knowing Cooperation with Other Governments to Facilitate Their Acts of Transnational Repression',
    ],
  },
  china: {
    2016: [
      'EXECUTIVE SUMMARY',
      '1 Respect for the Integrity of the Person, Including Freedom from:',
      '  1.a Arbitrary Deprivation of Life and other Unlawful or Politically Motivated Killings',
      '  1.b Disappearance',
      '  1.c Torture and Other Cruel, Inhuman, or Degrading Treatment or Punishment',
      '    Prison and Detention Center Conditions',
      '  1.d Arbitrary Arrest or Detention',
      '    ROLE OF THE POLICE AND SECURITY APPARATUS',
      '    ARREST PROCEDURES AND TREATMENT OF DETAINEES',
      '  1.e Denial of Fair Public Trial',
      '    TRIAL PROCEDURES',
      '    POLITICAL PRISONERS AND DETAINEES',
      '    CIVIL JUDICIAL PROCEDURES AND REMEDIES',
      '  1.f Arbitrary or Unlawful Interference with Privacy, Family, Home, or Correspondence',
      '2 Respect for Civil Liberties, Including:',
      '  2.a Freedom of Speech and Press',
      '    INTERNET FREEDOM',
      '    ACADEMIC FREEDOM AND CULTURAL EVENTS',
      '  2.b Freedom of Peaceful Assembly and Association',
      '    FREEDOM OF ASSEMBLY',
      '    FREEDOM OF ASSOCIATION',
      '  2.c Freedom of Religion',
      '  2.d Freedom of Movement, Internally Displaced Persons, Protection of Refugees, and Stateless Persons',
      '    PROTECTION OF REFUGEES',
      '3 Freedom to Participate in the Political Process',
      '  Elections and Political Participation',
      '4 Corruption and Lack of Transparency in Government',
      '5 Governmental Attitude Regarding International and Nongovernmental Investigation of Alleged Violations of Human Rights',
      '6 Discrimination, Societal Abuses, and Trafficking in Persons',
      '  Women',
      '  Children',
      '  Anti-Semitism',
      '  Trafficking in Persons',
      '  Persons with Disabilities',
      '  National/Racial/Ethnic Minorities',
      '  Acts of Violence, Discrimination, and Other Abuses Based on Sexual Orientation and Gender Identity',
      '  HIV and AIDS Social Stigma',
      '  Other Societal Violence or Discrimination',
      '7 Worker Rights',
      '  7.a Freedom of Association and the Right to Collective Bargaining',
      '  7.b Prohibition of Forced or Compulsory Labor',
      '  7.c Prohibition of Child Labor and Minimum Age for Employment',
      '  7.d Discrimination with Respect to Employment and Occupation',
      '  7.e Acceptable Conditions of Work',
    ],
    2020: [
      'EXECUTIVE SUMMARY',
      '1 Respect for the Integrity of the Person, Including Freedom from:',
      '  1.a Arbitrary Deprivation of Life and Other Unlawful or Politically Motivated Killings',
      '  1.b Disappearance',
      '  1.c Torture and Other Cruel, Inhuman, or Degrading Treatment or Punishment',
      '    Prison and Detention Center Conditions',
      '  1.d Arbitrary Arrest or Detention',
      '    Arrest Procedures and Treatment of Detainees',
      '  1.e Denial of Fair Public Trial',
      '    Trial Procedures',
      '    Political Prisoners and Detainees',
      '    Politically Motivated Reprisal against Individuals Located Outside the Country',
      '    Civil Judicial Procedures and Remedies',
      '  1.f Arbitrary or Unlawful Interference with Privacy, Family, Home, or Correspondence',
      '2 Respect for Civil Liberties, Including:',
      '  2.a Freedom of Expression, Including for the Press',
      '    Internet Freedom',
      '    Academic Freedom and Cultural Events',
      '  2.b Freedoms of Peaceful Assembly and Association',
      '    Freedom of Peaceful Assembly',
      '    Freedom of Association',
      '  2.c Freedom of Religion',
      '  2.d Freedom of Movement',
      '  2.e Status and Treatment of Internally Displaced Persons',
      '  2.f Protection of Refugees',
      '  2.g Stateless Persons',
      '3 Freedom to Participate in the Political Process',
      '  Elections and Political Participation',
      '4 Corruption and Lack of Transparency in Government',
      '5 Governmental Attitude Regarding International and Nongovernmental Investigation of Alleged Abuses of Human Rights',
      '6 Discrimination, Societal Abuses, and Trafficking in Persons',
      '  Women',
      '  Children',
      '  Anti-Semitism',
      '  Trafficking in Persons',
      '  Persons with Disabilities',
      '  Members of National/Racial/Ethnic Minority Groups',
      '  Acts of Violence, Criminalization, and Other Abuses Based on Sexual Orientation and Gender Identity',
      '  HIV and AIDS Social Stigma',
      '  Promotion of Acts of Discrimination',
      '7 Workers’ Rights',
      '  7.a Freedom of Association and the Right to Collective Bargaining',
      '  7.b Prohibition of Forced or Compulsory Labor',
      '  7.c Prohibition of Child Labor and Minimum Age for Employment',
      '  7.d Discrimination with Respect to Employment and Occupation',
      '  7.e Acceptable Conditions of Work',
    ],
    2024: [
      'EXECUTIVE SUMMARY',
      '1 Life',
      '  1.a Extrajudicial Killings',
      '  1.b Coercion in Population Control',
      '  1.c War Crimes, Crimes against Humanity, and Evidence of Acts that May Constitute Genocide, or Conflict-Related Abuses',
      '2 Liberty',
      '  2.a Freedom of the Press',
      '    Physical Attacks, Imprisonment, and Pressure',
      '    Censorship by Governments, Military, Intelligence, or Police Forces, Criminal Groups, or Armed Extremist or Rebel Groups',
      '  2.b Worker Rights',
      '    Freedom of Association and Collective Bargaining',
      '    Forced or Compulsory Labor',
      '    Acceptable Work Conditions',
      '      Wage and Hour Laws',
      '      Occupational Safety and Health',
      '      Wage, Hour, and OSH Enforcement',
      '  2.c Disappearance and Abduction',
      '    Disappearance',
      '    Prolonged Detention without Charges',
      '  2.d Violations in Religious Freedom',
      '  2.e Trafficking in Persons',
      '3 Security of the Person',
      '  3.a Torture and Cruel, Inhuman, or Degrading Treatment or Punishment',
      '  3.b Protection of Children',
      '    Child Labor',
      '    Child Marriage',
      '  3.c Protection to Refugees',
      '    Provision of First Asylum',
      '    Resettlement',
      '  3.d Acts of Antisemitism and Antisemitic Incitement',
      '  3.e Instances of Transnational Repression',
      '    Extraterritorial Killing, Kidnapping, or Violence or Threats of Violence',
      '    Threats, Harassment, Surveillance, or Coercion',
      '    Misuse of International Law Enforcement Tools',
      '    Efforts to Control Mobility',
      '    Bilateral Pressure',
    ],
  },
};

describe('heading outlines (Executive Summary, numbered Sections, lettered sub-sections, h4/h5 sub-headings)', () => {
  it.each([
    ['kazakhstan', 2016],
    ['kazakhstan', 2020],
    ['kazakhstan', 2024],
    ['china', 2016],
    ['china', 2020],
    ['china', 2024],
  ] as const)('%s %i', (country, year) => {
    expect(outline(extract(loadCorpusPage(country, year)))).toEqual(EXPECTED_OUTLINES[country][year]);
  });
});

describe('layout details', () => {
  it('reassembles run-in heads split over fragmented <u>/<b> tags (2019, 2020, 2022)', () => {
    const leads = (year: number) =>
      extract(loadCorpusPage('kazakhstan', year))
        .sections.flatMap((section) => section.paragraphs)
        .flatMap((paragraph) => (paragraph.lead ? [paragraph.lead] : []));
    // 2019: <u>Physical </u><u>C</u><u>onditions</u>:   2020: <u></u>Physical <u></u>C<u></u>onditions:
    expect(leads(2019)).toContain('Physical Conditions');
    expect(leads(2020)).toContain('Physical Conditions');
    // 2022: <b>Abuse of Migrants</b><b> and</b><b> Refugees:</b>
    expect(leads(2022)).toEqual(expect.arrayContaining(['Access to Asylum', 'Abuse of Migrants and Refugees']));
    const physical = extract(loadCorpusPage('kazakhstan', 2020))
      .sections.flatMap((section) => section.paragraphs)
      .find((paragraph) => paragraph.lead === 'Physical Conditions');
    expect(physical?.text.startsWith('Physical Conditions: ')).toBe(true);
  });

  it('skips the "Read a Section" navigation of multi-part reports and keeps the shifted Executive Summary', () => {
    for (const year of [2017, 2019, 2023, 2024]) {
      const document = extract(loadCorpusPage('china', year));
      expect(document.sections[0]!.key).toBe('executive-summary');
      expect(document.sections[0]!.paragraphs[0]!.text).not.toMatch(/Hong Kong \| Macau/);
      expect(document.sections.find((section) => section.number === '1')!.level).toBe(1);
    }
  });

  it('gives each China page the series of its own slug (lineage, not a list, joins them: series-lineage tests)', () => {
    const documents = [2016, 2017, 2018, 2019].map((year) => extract(loadCorpusPage('china', year)));
    expect(documents.map((document) => document.series)).toEqual([
      'hrr/china-includes-tibet-hong-kong-and-macau',
      'hrr/china-includes-tibet-hong-kong-and-macau',
      'hrr/china-includes-tibet-hong-kong-and-macau-china',
      'hrr/china',
    ]);
    expect(documents[3]!.canonicalUrl).toContain('/china/');
  });

  it('keeps wording exactly: typographic quotes and case are not folded', () => {
    const document = extract(loadCorpusPage('kazakhstan', 2019));
    const summary = document.sections[0]!.paragraphs[0]!.text;
    expect(summary).toContain('“scant respect for democratic standards.”');
    expect(summary.startsWith('The Republic of Kazakhstan’s government')).toBe(true);
  });

  it('gives the same section the same key in editions whose heading did not change', () => {
    const keys = (year: number) => new Set(extract(loadCorpusPage('kazakhstan', year)).sections.map((s) => s.key));
    // 2016-2018 use a bare ALL-CAPS <h4>, 2019-2020 an unlettered h3 subtitle, 2021-2023 an h4 with an id; the
    // section title also changed in 2021 ("..., Including Freedom from:" dropped) beyond the key's 48-character cap.
    const prison = 'respect-for-the-integrity-of-the-person/torture-and-other-cruel-inhuman-or-degrading/prison-and-detention-center-conditions';
    for (const year of [2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023]) expect(keys(year).has(prison)).toBe(true);
    const arrest2016 = [...keys(2016)].find((key) => key.endsWith('/arrest-procedures-and-treatment-of-detainees'));
    const arrest2019 = [...keys(2019)].find((key) => key.endsWith('/arrest-procedures-and-treatment-of-detainees'));
    expect(arrest2016?.split('/').slice(1)).toEqual(arrest2019?.split('/').slice(1));
  });
});
