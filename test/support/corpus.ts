import path from 'node:path';
import {
  allCorpusPages,
  CORPUS_COUNTRIES,
  CORPUS_DIRECTORY,
  CORPUS_YEARS,
  loadCorpusHtml,
  type CorpusCountry,
} from '../../local/demo/corpus-pages.js';

/** The real report pages shipped with the tests (gzip-compressed; where they come from: test/fixtures/corpus/README.md): one loader for all. */
export { CORPUS_COUNTRIES, CORPUS_DIRECTORY, CORPUS_YEARS, type CorpusCountry };

export interface CorpusPage {
  country: CorpusCountry;
  year: number;
  file: string;
}

export function corpusPages(): CorpusPage[] {
  return allCorpusPages().map(({ country, year }) => ({
    country,
    year,
    file: path.join(CORPUS_DIRECTORY, country, `${year}.html.gz`),
  }));
}

export const loadCorpusPage: (country: CorpusCountry, year: number) => string = loadCorpusHtml;
