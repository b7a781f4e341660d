import type { Document } from '../domain/document.js';
import type { EditionMap } from '../domain/edition-map.js';
import type { EditionReport } from '../domain/edition-report.js';
import type { EditionReportJob } from '../domain/edition-report-job.js';
import type { ProvenanceIndexData } from '../domain/provenance/provenance-index.js';
import type { RevisionDiff } from '../domain/revision-diff.js';
import type { TermIndex } from '../domain/term-index.js';

/**
 * Object storage for captures: raw bodies, normalised Documents, full diffs and the Athena section lines.
 * Raw bodies and Documents are content-addressed (keyed by sha256) and written at most once.
 * Keys follow the data model (docs/data-model.md). Missing objects raise NotFoundError; a bad page id raises ValidationError.
 */
export interface StoredSnapshot {
  key: string;
  /** Hex sha256 of the stored content (the raw body before gzip; the canonical Document JSON). */
  sha256: string;
  /** False when the object already existed (same content written before). */
  created: boolean;
}

/** A Document's canonical JSON, as the UTF-8 bytes stored, and their sha256 (the Document's hash). */
export interface SerializedDocument {
  bytes: Uint8Array;
  sha256: string;
}

export interface RawSnapshot {
  /** The body as fetched (decompressed). */
  body: Uint8Array;
  contentType: string;
  sha256: string;
}

export interface StoredObjectSummary {
  key: string;
  size: number;
  lastModified?: Date;
}

export interface SnapshotStore {
  putRaw(page: string, body: Uint8Array, contentType: string): Promise<StoredSnapshot>;
  getRaw(key: string): Promise<RawSnapshot>;
  /**
   * Stores the Document under the sha256 of its canonical JSON. `created: false` means this exact Document was
   * stored before; it does not mean "unchanged since the last capture" (a page can return to an older text), so
   * compare `sha256` with the page's last document hash for that. `capturedAt` (an imported capture, stored long
   * after it was captured) goes with the object, so whoever hears of the write records it at that time.
   */
  putDocument(page: string, document: Document, options?: { capturedAt?: string; serialized?: SerializedDocument }): Promise<StoredSnapshot>;
  /**
   * The Document's canonical JSON, as putDocument stores it, and its hash (documentHash): a caller that needs the hash
   * before storing passes this to putDocument as `serialized`, so that the Document is serialised once.
   */
  serializeDocument(document: Document): SerializedDocument;
  /**
   * The capture time a Document was stored with (`putDocument`'s `capturedAt`, object metadata), or undefined when
   * it was stored without one (a live capture: its write time is its capture time).
   */
  documentCaptureTime(key: string): Promise<string | undefined>;
  getDocument(key: string): Promise<Document>;
  /**
   * Hash a Document exactly as putDocument keys it, without storing it. A Document getDocument returned may be hashed
   * from the bytes it was read from (the same hash): read Documents are values, not to be changed and hashed again.
   */
  documentHash(document: Document): string;
  /**
   * Stores the full diff and returns its key. The key carries the hash of the `to` Document: two workers racing for
   * the same seq with different captures write different objects, so the loser never overwrites the winner's diff.
   */
  putDiff(page: string, fromSeq: number, toSeq: number, diff: RevisionDiff, toDocumentHash: string): Promise<string>;
  getDiff(key: string): Promise<RevisionDiff>;
  /** Writes (replaces) the page's section lines for Athena; returns the key. */
  putSectionLines(document: Document, page: string): Promise<string>;
  /** Stored Documents of a page (in key order, which is hash order, not time order). */
  listDocuments(page: string): AsyncIterable<StoredObjectSummary>;
  /** Stored raw bodies of a page (in key order). */
  listRaw(page: string): AsyncIterable<StoredObjectSummary>;
  exists(key: string): Promise<boolean>;
  /**
   * The newest stored generation of a provenance index (`series:<series>` or `page:<page>` scope), as stored: the
   * caller checks its schema and algorithm. Undefined when none is stored.
   */
  getProvenanceIndex(scope: string): Promise<StoredProvenanceIndex | undefined>;
  /**
   * Creates generation `generation` of the scope's provenance index unless that generation exists (a conditional
   * create); false when another writer created it first. Generations older than the one before are then deleted
   * (best effort: a reader that raced the delete reads the newest again).
   */
  putProvenanceIndex(scope: string, generation: number, index: ProvenanceIndexData): Promise<boolean>;
  /**
   * A stored edition map (derived data: `maps/<report>/<from>-<to>/<inputs hash>.json.gz`) as stored, unchecked;
   * undefined when none is stored for these inputs.
   */
  getEditionMap(scope: EditionMapScope, inputsHash: string): Promise<unknown>;
  /** Stores an edition map under its inputs' hash, then deletes the scope's maps of other inputs (best effort). */
  putEditionMap(scope: EditionMapScope, inputsHash: string, map: EditionMap): Promise<void>;
  /**
   * A stored edition report (derived data: `reports/<report>/<from>-<to>/<inputs hash>.json.gz`) as stored, unchecked;
   * undefined when none is stored for these inputs.
   */
  getEditionReport(scope: EditionMapScope, inputsHash: string): Promise<unknown>;
  /** Stores an edition report under its inputs' hash, then deletes the scope's reports of other inputs (best effort). */
  putEditionReport(scope: EditionMapScope, inputsHash: string, report: EditionReport): Promise<void>;
  /**
   * The marker of an edition report job (`reports/_jobs/<report>/<from>-<to>/<inputs hash>.json.gz`) as stored,
   * unchecked; undefined when none is stored. Apart from the reports, so storing a report does not delete it.
   */
  getEditionReportJob(scope: EditionMapScope, inputsHash: string): Promise<unknown>;
  /** Stores (replaces) the marker of an edition report job. */
  putEditionReportJob(scope: EditionMapScope, inputsHash: string, job: EditionReportJob): Promise<void>;
  /**
   * The stored term index of a Document (derived data: `terms/<page>/<sha256>.json.gz`, beside `docs/<page>/<sha256>.json`)
   * as stored, unchecked; undefined when none is stored. `documentKey` is the Document's key.
   */
  getTermIndex(documentKey: string): Promise<unknown>;
  /** Stores (replaces) the term index of the Document stored under `documentKey`. */
  putTermIndex(documentKey: string, index: TermIndex): Promise<void>;
}

/** Which edition map: a report (series prefix, or one series) and two editions. */
export interface EditionMapScope {
  report: string;
  from: number;
  to: number;
}

/** A stored provenance index (`provenance/<scope>/<generation>.json.gz`). */
export interface StoredProvenanceIndex {
  key: string;
  /** 1 for the first index of the scope, then +1 per update. */
  generation: number;
  /** The parsed JSON, unchecked. */
  data: unknown;
}

/** One line of `sections/series=.../edition=.../<page>.jsonl`. */
export interface SectionLine {
  series: string | null;
  edition: number | null;
  page: string;
  url: string;
  /** sha256 of the Document the line comes from (its docs/ key). */
  documentHash: string;
  key: string;
  heading: string;
  number: string | null;
  level: number;
  parentKey: string | null;
  wordCount: number;
  /** Paragraph texts joined with newlines. */
  text: string;
}
