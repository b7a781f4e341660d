import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

/** The real report pages shipped with the tests (from ../shared/corpus/hrr, gzip-compressed). */
export const CORPUS_DIRECTORY = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'corpus', 'hrr');

export const CORPUS_COUNTRIES = ['andorra', 'china', 'kazakhstan', 'nigeria', 'russia', 'tuvalu'] as const;
export const CORPUS_YEARS = [2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024] as const;
export type CorpusCountry = (typeof CORPUS_COUNTRIES)[number];

export interface CorpusPage {
  country: CorpusCountry;
  year: number;
  file: string;
}

export function corpusPages(): CorpusPage[] {
  return CORPUS_COUNTRIES.flatMap((country) =>
    readdirSync(path.join(CORPUS_DIRECTORY, country))
      .filter((name) => name.endsWith('.html.gz'))
      .sort()
      .map((name) => ({ country, year: Number(name.slice(0, 4)), file: path.join(CORPUS_DIRECTORY, country, name) })),
  );
}

const cache = new Map<string, string>();

export function loadCorpusPage(country: CorpusCountry, year: number): string {
  const file = path.join(CORPUS_DIRECTORY, country, `${year}.html.gz`);
  let html = cache.get(file);
  if (html === undefined) {
    html = gunzipSync(readFileSync(file)).toString('utf8');
    cache.set(file, html);
  }
  return html;
}
