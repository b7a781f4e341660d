import type { Document, Section } from '../../shared/domain/document.js';
import { extract } from '../../shared/domain/extract.js';
import { ProvenanceIndex, type VersionRef } from '../../shared/domain/provenance/provenance-index.js';
import { versionSentences } from '../../shared/domain/provenance/version-sentences.js';
import { CORPUS_YEARS, loadCorpusPage, type CorpusCountry } from '../support/corpus.js';

/** Real report editions as Documents (extracted once per test file), and indexes built from them. */
export const YEARS: readonly number[] = CORPUS_YEARS;

export function hrrUrl(country: string, year: number): string {
  return `https://www.state.gov/reports/${year}-country-reports-on-human-rights-practices/${country}/`;
}

const documents = new Map<string, Document>();

export function hrrDocument(country: CorpusCountry, year: number): Document {
  const key = `${country}/${year}`;
  let document = documents.get(key);
  if (!document) {
    document = extract(loadCorpusPage(country, year), { url: hrrUrl(country, year) });
    documents.set(key, document);
  }
  return document;
}

export function pageOf(country: string, year: number): string {
  return `hrr.${country}.${year}`;
}

/** A version of a corpus edition; the hash only has to tell different Documents apart. */
export function versionRef(document: Document, seq = 1, page = pageOf(document.series!.split('/')[1]!, document.edition!)): VersionRef {
  return {
    page,
    seq,
    ...(document.edition !== undefined ? { edition: document.edition } : {}),
    documentHash: `${document.edition ?? 0}-${seq}-${JSON.stringify(document.sections).length}`,
    capturedAt: new Date(Date.UTC(document.edition ?? 2025, 2, 1) + seq * 86_400_000).toISOString(),
  };
}

/** The index of a country's editions (all nine unless told), added in the order given. */
export function seriesIndex(country: CorpusCountry, years: readonly number[] = YEARS): ProvenanceIndex {
  const index = new ProvenanceIndex(`series:hrr/${country}`);
  for (const year of years) {
    const document = hrrDocument(country, year);
    index.addVersion(versionRef(document), versionSentences(document));
  }
  return index;
}

/** Position of a page's revision on the index's timeline (fails loudly when absent). */
export function positionOf(index: ProvenanceIndex, page: string, seq = 1): number {
  const position = index.indexOf({ page, seq });
  if (position === -1) throw new Error(`${page}#${seq} is not indexed`);
  return position;
}

/** A synthetic Document: sections given as [key, heading, paragraphs]. */
export function syntheticDocument(sections: Array<[string, string, string[]]>, options: { edition?: number } = {}): Document {
  return {
    schemaVersion: 1,
    url: 'https://example.org/report',
    canonicalUrl: 'https://example.org/report',
    title: 'Report',
    profile: 'generic',
    ...(options.edition !== undefined ? { series: 'example/report', edition: options.edition } : {}),
    sections: sections.map(([key, heading, paragraphs]): Section => {
      const slash = key.lastIndexOf('/');
      return {
        key,
        heading,
        level: key.split('/').length,
        ...(slash !== -1 ? { parentKey: key.slice(0, slash) } : {}),
        paragraphs: paragraphs.map((text) => ({ text })),
      };
    }),
  };
}
