import type { Document } from '../domain/document.js';
import { extract, readPage } from '../domain/extract.js';
import type { ResolvedPageIdentity } from '../domain/identity/resolve-page-identity.js';
import { buildTermIndex, type TermIndex } from '../domain/term-index.js';

/**
 * The CPU-bound part of reading a capture for an import: extraction, identity and the Document's term index. The
 * import runs it in process (inProcessCaptureReader) or on worker threads (adapters/workers/capture-reader-pool.ts),
 * with the same results.
 */
export interface CaptureReading {
  document: Document;
  identity: ResolvedPageIdentity;
  termIndex: TermIndex;
}

export interface CaptureReader {
  /** readPage(text, { url }) and the Document's term index; throws as readPage does (ExtractionError, ArchiveUrlError). */
  read(text: string, url: string | undefined): Promise<CaptureReading>;
  /** extract(text, { url, profile }) (the page read as a capture of its watched URL would be) and its term index. */
  extract(text: string, url: string, profile: string): Promise<Omit<CaptureReading, 'identity'>>;
}

export function readCapture(text: string, url: string | undefined): CaptureReading {
  const { document, identity } = readPage(text, url !== undefined ? { url } : {});
  return { document, identity, termIndex: buildTermIndex(document) };
}

export function extractCapture(text: string, url: string, profile: string): Omit<CaptureReading, 'identity'> {
  const document = extract(text, { url, profile });
  return { document, termIndex: buildTermIndex(document) };
}

export const inProcessCaptureReader: CaptureReader = {
  read: async (text, url) => readCapture(text, url),
  extract: async (text, url, profile) => extractCapture(text, url, profile),
};
