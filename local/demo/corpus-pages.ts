import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

/**
 * The corpus pages the local report site serves and the pipeline benchmark reads: the real State Department pages
 * shipped with the tests (test/fixtures/corpus/hrr/<country>/<year>.html.gz). The one loader: it lives here so the
 * runtime does not import from test/; test/support/corpus.ts re-exports it.
 */
export const CORPUS_DIRECTORY = fileURLToPath(new URL('../../test/fixtures/corpus/hrr/', import.meta.url));

export const CORPUS_COUNTRIES = ['andorra', 'china', 'kazakhstan', 'nigeria', 'russia', 'tuvalu'] as const;
export const CORPUS_YEARS = [2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024] as const;
export type CorpusCountry = (typeof CORPUS_COUNTRIES)[number];

export interface CorpusPageRef {
  country: CorpusCountry;
  year: number;
}

export function allCorpusPages(): CorpusPageRef[] {
  return CORPUS_COUNTRIES.flatMap((country) => CORPUS_YEARS.map((year) => ({ country, year })));
}

export function isCorpusPage(country: string, year: number): country is CorpusCountry {
  return (CORPUS_COUNTRIES as readonly string[]).includes(country) && (CORPUS_YEARS as readonly number[]).includes(year);
}

const cache = new Map<string, string>();

export function loadCorpusHtml(country: CorpusCountry, year: number): string {
  const key = `${country}/${year}`;
  let html = cache.get(key);
  if (html === undefined) {
    html = gunzipSync(readFileSync(`${CORPUS_DIRECTORY}${country}/${year}.html.gz`)).toString('utf8');
    cache.set(key, html);
  }
  return html;
}

/** The state.gov slug of a country's page in one edition (China's changed twice). */
export function stateGovSlug(country: CorpusCountry, year: number): string {
  if (country !== 'china' || year >= 2019) return country;
  return year === 2018 ? 'china-includes-tibet-hong-kong-and-macau-china' : 'china-includes-tibet-hong-kong-and-macau';
}

/** The path as state.gov spells it: a trailing slash up to 2023, none from 2024 on. */
export function stateGovPath(country: CorpusCountry, year: number): string {
  return `/reports/${year}-country-reports-on-human-rights-practices/${stateGovSlug(country, year)}${year >= 2024 ? '' : '/'}`;
}

export function pageLabel(page: CorpusPageRef): string {
  return `${page.country} ${page.year}`;
}
