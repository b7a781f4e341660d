import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import type { Document } from '../../domain/document.js';
import type { EditionMap } from '../../domain/edition-map.js';
import type { EditionReport } from '../../domain/edition-report.js';
import type { EditionReportJob } from '../../domain/edition-report-job.js';
import type { ProvenanceIndexData } from '../../domain/provenance/provenance-index.js';
import { sectionWordCount } from '../../domain/document.js';
import type { RevisionDiff } from '../../domain/revision-diff.js';
import type { TermIndex } from '../../domain/term-index.js';
import { NotFoundError, RedlineError, ValidationError } from '../../errors.js';
import { PAGE_ID_PATTERN, assertPageId } from '../../ports/page-id.js';
import type {
  EditionMapScope,
  RawSnapshot,
  SectionLine,
  SerializedDocument,
  SnapshotStore,
  StoredObjectSummary,
  StoredProvenanceIndex,
  StoredSnapshot,
} from '../../ports/snapshot-store.js';
import { canonicalJson, sha256Hex } from './canonical-json.js';
import { LruMap } from '../../lru-map.js';

const gzipWithLevel = promisify(gzip);
/**
 * zlib level 4, not the default 6: on the sample's pages it compresses raw bodies in 54 % of the time and JSON (term
 * and provenance indexes) in 44 %, for objects 3.3 % larger (raw 0.226 of the body against 0.218; docs/cost.md).
 * Compression is paid on every capture and import, storage is cents.
 */
const GZIP_LEVEL = 4;
const gzipAsync = (body: Uint8Array) => gzipWithLevel(body, { level: GZIP_LEVEL });
const gunzipAsync = promisify(gunzip);

/** Hive's name for a missing partition value, which Athena reads as null. */
export const NULL_PARTITION = '__HIVE_DEFAULT_PARTITION__';

export const snapshotKeys = {
  raw: (page: string, sha256: string) => `raw/${assertPageId(page)}/${sha256}.html.gz`,
  document: (page: string, sha256: string) => `docs/${assertPageId(page)}/${sha256}.json`,
  diff: (page: string, fromSeq: number, toSeq: number, toDocumentHash: string) =>
    `diffs/${assertPageId(page)}/${assertSeq(fromSeq)}..${assertSeq(toSeq)}-${assertHash(toDocumentHash).slice(0, DIFF_HASH_CHARS)}.json`,
  sectionLines: (page: string, series: string | undefined, edition: number | undefined) =>
    `sections/series=${series ? series.replaceAll('/', '~') : NULL_PARTITION}/edition=${edition ?? NULL_PARTITION}/${assertPageId(page)}.jsonl`,
  provenancePrefix: (scope: string) => `provenance/${provenanceScopeSegment(scope)}/`,
  provenance: (scope: string, generation: number) =>
    `provenance/${provenanceScopeSegment(scope)}/${String(assertSeq(generation)).padStart(10, '0')}.json.gz`,
  editionMapPrefix: (scope: EditionMapScope) => `maps/${editionMapScopeSegment(scope)}/`,
  editionMap: (scope: EditionMapScope, inputsHash: string) => `maps/${editionMapScopeSegment(scope)}/${assertHash(inputsHash)}.json.gz`,
  editionReportPrefix: (scope: EditionMapScope) => `reports/${editionMapScopeSegment(scope)}/`,
  editionReport: (scope: EditionMapScope, inputsHash: string) => `reports/${editionMapScopeSegment(scope)}/${assertHash(inputsHash)}.json.gz`,
  // A report id starts with a letter or digit, so `_jobs` is no report's prefix.
  editionReportJobPrefix: (scope: EditionMapScope) => `reports/_jobs/${editionMapScopeSegment(scope)}/`,
  editionReportJob: (scope: EditionMapScope, inputsHash: string) =>
    `reports/_jobs/${editionMapScopeSegment(scope)}/${assertHash(inputsHash)}.json.gz`,
  termIndex: (page: string, sha256: string) => `terms/${assertPageId(page)}/${assertHash(sha256)}.json.gz`,
};

/** `{ report: 'hrr', from: 2023, to: 2024 }` -> `hrr/2023-2024` (a series as report: `hrr~kazakhstan/...`). */
export function editionMapScopeSegment(scope: EditionMapScope): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$/.test(scope.report))
    throw new ValidationError(`Invalid report: ${JSON.stringify(scope.report.slice(0, 100))}`);
  return `${scope.report.replaceAll('/', '~')}/${assertSeq(scope.from)}-${assertSeq(scope.to)}`;
}

/** `series:hrr/kazakhstan` -> `series=hrr~kazakhstan`, `page:<page>` -> `page=<page>` (one key segment). */
export function provenanceScopeSegment(scope: string): string {
  const match = /^(series|page):([A-Za-z0-9][A-Za-z0-9._/-]{0,199})$/.exec(scope);
  if (!match || (match[1] === 'page' && match[2]!.includes('/')))
    throw new ValidationError(`Invalid provenance scope: ${JSON.stringify(scope.slice(0, 100))}`);
  return `${match[1]}=${match[2]!.replaceAll('/', '~')}`;
}

const RAW_KEY = /^raw\/[^/]+\/([0-9a-f]{64})\.html\.gz$/;
const DOCUMENT_KEY = /^docs\/([^/]+)\/[0-9a-f]{64}\.json$/;
const DOCUMENT_KEY_PARTS = /^docs\/([^/]+)\/([0-9a-f]{64})\.json$/;
const DIFF_KEY = /^diffs\/[^/]+\/\d+\.\.\d+-[0-9a-f]{16}\.json$/;
const PROVENANCE_KEY = /\/(\d{10})\.json\.gz$/;
/** docs/<page>/<sha256>.json -> the page id, or undefined for any other key (the diff function reads only these). */
export function pageOfDocumentKey(key: string): string | undefined {
  const page = DOCUMENT_KEY.exec(key)?.[1];
  return page !== undefined && PAGE_ID_PATTERN.test(page) ? page : undefined;
}

/** Enough of the `to` Document hash to tell racing captures apart. */
const DIFF_HASH_CHARS = 16;

export interface S3SnapshotStoreOptions {
  client: S3Client;
  bucket: string;
  /** MaxKeys of each ListObjectsV2 call (tests use a small one to exercise paging). */
  listPageSize?: number;
  /**
   * Bytes of Documents kept in process, by key (default 16 MiB; 0: none): a Document this store just wrote or read
   * is read back from memory (recording reads the Document an import or a capture has just stored, and the one it
   * diffed against last time). A Document key carries its content hash, so an entry never goes stale.
   */
  documentCacheBytes?: number;
}

const DEFAULT_DOCUMENT_CACHE_BYTES = 16 * 1024 * 1024;

/**
 * A stored Document's canonical JSON bytes, and the capture time its object's metadata carries (undefined: none).
 */
interface CachedDocument {
  body: Uint8Array;
  capturedAt: string | undefined;
}

export class S3SnapshotStore implements SnapshotStore {
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly listPageSize: number;
  /** The hash of each Document getDocument read whose bytes are its canonical JSON, for as long as the caller holds it. */
  private readonly readHashes = new WeakMap<Document, string>();
  /**
   * Documents by storage key within a byte budget. Only bytes whose hash is the one their key names go in (written by
   * putDocument, or read and checked), with their object's metadata.
   */
  private readonly documentBytes: LruMap<string, CachedDocument>;

  /** The client it was given (for another adapter of the same bucket). */
  get s3Client(): S3Client {
    return this.client;
  }

  constructor(options: S3SnapshotStoreOptions) {
    this.client = options.client;
    this.bucket = options.bucket;
    this.listPageSize = options.listPageSize ?? 1000;
    this.documentBytes = new LruMap(options.documentCacheBytes ?? DEFAULT_DOCUMENT_CACHE_BYTES, (entry) => entry.body.byteLength);
  }

  async putRaw(page: string, body: Uint8Array, contentType: string): Promise<StoredSnapshot> {
    const sha256 = sha256Hex(body);
    const key = snapshotKeys.raw(page, sha256);
    const created = await this.createOnce(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: await gzipAsync(body),
        ContentType: contentType,
        ContentEncoding: 'gzip',
        Metadata: { sha256 },
        IfNoneMatch: '*',
      }),
    );
    return { key, sha256, created };
  }

  async getRaw(key: string): Promise<RawSnapshot> {
    const match = RAW_KEY.exec(key);
    if (!match) throw new ValidationError(`Not a raw snapshot key: ${key}`);
    const { body: compressed, contentType } = await this.getBytes(key);
    const body = new Uint8Array(await gunzipAsync(compressed));
    const sha256 = sha256Hex(body);
    // The key is the hash of the body: a mismatch means a corrupted object (or aws-chunked framing stored in it).
    if (sha256 !== match[1]) throw new RedlineError(`Raw snapshot ${key} does not match its hash (got ${sha256})`);
    return { body, contentType: contentType ?? 'application/octet-stream', sha256 };
  }

  documentHash(document: Document): string {
    return this.readHashes.get(document) ?? sha256Hex(canonicalJson(document));
  }

  serializeDocument(document: Document): SerializedDocument {
    // Encoded once: the hash and the PUT take the same bytes (a report page's JSON is ~100 KB).
    const bytes = Buffer.from(canonicalJson(document), 'utf8');
    return { bytes, sha256: sha256Hex(bytes) };
  }

  async putDocument(
    page: string,
    document: Document,
    options: { capturedAt?: string; serialized?: SerializedDocument } = {},
  ): Promise<StoredSnapshot> {
    const { bytes: body, sha256 } = options.serialized ?? this.serializeDocument(document);
    const key = snapshotKeys.document(page, sha256);
    const capturedAt = options.capturedAt !== undefined ? assertIsoTime(options.capturedAt) : undefined;
    // In the cache from the start of the PUT: its storage event can reach this process (the local runtime's diff step)
    // before the PUT's response does. Dropped if the PUT fails, or finds the object stored before (its metadata may
    // differ; its bytes are the same).
    this.documentBytes.set(key, { body, capturedAt });
    let created: boolean;
    try {
      created = await this.createOnce(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: body,
          ContentType: 'application/json; charset=utf-8',
          Metadata: { sha256, ...(capturedAt !== undefined ? { [CAPTURED_AT_METADATA]: capturedAt } : {}) },
          IfNoneMatch: '*',
        }),
      );
    } catch (error) {
      this.documentBytes.delete(key);
      throw error;
    }
    if (!created) this.documentBytes.delete(key);
    return { key, sha256, created };
  }

  async documentCaptureTime(key: string): Promise<string | undefined> {
    if (!DOCUMENT_KEY.test(key)) throw new ValidationError(`Not a document key: ${key}`);
    // Written or read by this store: its metadata is known (the diff step asks about the Document a capture just stored).
    const cached = this.documentBytes.get(key);
    if (cached) return validCaptureTime(cached.capturedAt);
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return validCaptureTime(head.Metadata?.[CAPTURED_AT_METADATA]);
    } catch (error) {
      if (isNotFound(error)) throw new NotFoundError(`No stored object ${key}`, { cause: error });
      throw error;
    }
  }

  async getDocument(key: string): Promise<Document> {
    const match = DOCUMENT_KEY_PARTS.exec(key);
    if (!match) throw new ValidationError(`Not a document key: ${key}`);
    const cached = this.documentBytes.get(key);
    const read = cached ? undefined : await this.getBytes(key);
    const body = cached?.body ?? read!.body;
    let document: Document;
    try {
      document = JSON.parse(utf8Text(body)) as Document;
    } catch (error) {
      throw new RedlineError(`Stored object ${key} is not valid JSON`, { cause: error });
    }
    // Stored by putDocument, its bytes are its canonical JSON (which parsing and serialising again reproduces): their
    // hash, which the key names, is its documentHash, known now without serialising it again (each recording needs it
    // twice, ~4 ms a report page). Bytes written otherwise are hashed the usual way, when asked. Cached bytes were
    // checked so before they went in.
    if (typeof document === 'object' && document !== null && (cached !== undefined || sha256Hex(body) === match[2])) {
      this.readHashes.set(document, match[2]!);
      if (read) this.documentBytes.set(key, { body, capturedAt: read.metadata?.[CAPTURED_AT_METADATA] });
    }
    return document;
  }

  async putDiff(page: string, fromSeq: number, toSeq: number, diff: RevisionDiff, toDocumentHash: string): Promise<string> {
    const key = snapshotKeys.diff(page, fromSeq, toSeq, toDocumentHash);
    // A diff is a pure function of two stored Documents, so rewriting it after a crash is harmless.
    await this.putJson(key, JSON.stringify(diff));
    return key;
  }

  async getDiff(key: string): Promise<RevisionDiff> {
    if (!DIFF_KEY.test(key)) throw new ValidationError(`Not a diff key: ${key}`);
    return this.getJson<RevisionDiff>(key);
  }

  async putSectionLines(document: Document, page: string): Promise<string> {
    const key = snapshotKeys.sectionLines(page, document.series, document.edition);
    const documentHash = this.documentHash(document);
    const lines = document.sections.map((section) => {
      const line: SectionLine = {
        series: document.series ?? null,
        edition: document.edition ?? null,
        page,
        url: document.canonicalUrl || document.url,
        documentHash,
        key: section.key,
        heading: section.heading,
        number: section.number ?? null,
        level: section.level,
        parentKey: section.parentKey ?? null,
        wordCount: sectionWordCount(section),
        text: section.paragraphs.map((paragraph) => paragraph.text).join('\n'),
      };
      return JSON.stringify(line) + '\n';
    });
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: Buffer.from(lines.join(''), 'utf8'),
        ContentType: 'application/x-ndjson; charset=utf-8',
      }),
    );
    return key;
  }

  listDocuments(page: string): AsyncIterable<StoredObjectSummary> {
    return this.listPrefix(`docs/${assertPageId(page)}/`);
  }

  listRaw(page: string): AsyncIterable<StoredObjectSummary> {
    return this.listPrefix(`raw/${assertPageId(page)}/`);
  }

  async getProvenanceIndex(scope: string): Promise<StoredProvenanceIndex | undefined> {
    // A writer may delete an old generation between the listing and the read: list again then.
    for (let attempt = 1; ; attempt++) {
      const newest = await this.newestProvenanceGeneration(scope);
      if (!newest) return undefined;
      let body: Uint8Array;
      try {
        body = (await this.getBytes(newest.key)).body;
      } catch (error) {
        if (error instanceof NotFoundError && attempt < 3) continue;
        throw error;
      }
      return { ...newest, data: await parseGzippedJson(newest.key, body) };
    }
  }

  async putProvenanceIndex(scope: string, generation: number, index: ProvenanceIndexData): Promise<boolean> {
    const key = snapshotKeys.provenance(scope, generation);
    // One request: the write-once PUT is refused (412) when the generation is there, as a HEAD before it would tell.
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: await gzipAsync(Buffer.from(JSON.stringify(index), 'utf8')),
          ContentType: 'application/json; charset=utf-8',
          ContentEncoding: 'gzip',
          // Atomic on S3 (a racing writer gets 412); the local s3rver checks it before writing (local-aws-servers.ts).
          IfNoneMatch: '*',
        }),
      );
    } catch (error) {
      if (error instanceof S3ServiceException && (error.$metadata?.httpStatusCode === 412 || error.$metadata?.httpStatusCode === 409)) return false;
      throw error;
    }
    await this.deleteProvenanceBefore(scope, generation - 1);
    return true;
  }

  private async newestProvenanceGeneration(scope: string): Promise<{ key: string; generation: number } | undefined> {
    let newest: { key: string; generation: number } | undefined;
    for await (const object of this.listPrefix(snapshotKeys.provenancePrefix(scope))) {
      const match = PROVENANCE_KEY.exec(object.key);
      if (!match) continue;
      const generation = Number(match[1]);
      if (!newest || generation > newest.generation) newest = { key: object.key, generation };
    }
    return newest;
  }

  /** Best effort: a leftover generation costs storage, never correctness (readers take the newest). */
  private async deleteProvenanceBefore(scope: string, generation: number): Promise<void> {
    try {
      for await (const object of this.listPrefix(snapshotKeys.provenancePrefix(scope))) {
        const match = PROVENANCE_KEY.exec(object.key);
        if (match && Number(match[1]) < generation) await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: object.key }));
      }
    } catch {
      // Left for the next update (or a lifecycle rule).
    }
  }

  async getEditionMap(scope: EditionMapScope, inputsHash: string): Promise<unknown> {
    return this.getDerived(snapshotKeys.editionMapPrefix(scope), snapshotKeys.editionMap(scope, inputsHash));
  }

  async putEditionMap(scope: EditionMapScope, inputsHash: string, map: EditionMap): Promise<void> {
    await this.putDerived(snapshotKeys.editionMapPrefix(scope), snapshotKeys.editionMap(scope, inputsHash), map);
  }

  async getEditionReport(scope: EditionMapScope, inputsHash: string): Promise<unknown> {
    return this.getDerived(snapshotKeys.editionReportPrefix(scope), snapshotKeys.editionReport(scope, inputsHash));
  }

  async putEditionReport(scope: EditionMapScope, inputsHash: string, report: EditionReport): Promise<void> {
    await this.putDerived(snapshotKeys.editionReportPrefix(scope), snapshotKeys.editionReport(scope, inputsHash), report);
  }

  async getEditionReportJob(scope: EditionMapScope, inputsHash: string): Promise<unknown> {
    return this.getDerived(snapshotKeys.editionReportJobPrefix(scope), snapshotKeys.editionReportJob(scope, inputsHash));
  }

  async putEditionReportJob(scope: EditionMapScope, inputsHash: string, job: EditionReportJob): Promise<void> {
    // Not putDerived: the markers of other inputs stay (each answers at its own status URL).
    await this.putGzippedJson(snapshotKeys.editionReportJob(scope, inputsHash), job);
  }

  async getTermIndex(documentKey: string): Promise<unknown> {
    const key = termIndexKey(documentKey);
    let body: Uint8Array;
    try {
      body = (await this.getBytes(key)).body;
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
    return parseGzippedJson(key, body);
  }

  async putTermIndex(documentKey: string, index: TermIndex): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: termIndexKey(documentKey),
        Body: await gzipAsync(Buffer.from(JSON.stringify(index), 'utf8')),
        ContentType: 'application/json; charset=utf-8',
        ContentEncoding: 'gzip',
      }),
    );
  }

  /** Derived data cached under the hash of its inputs: one object per scope prefix. */
  private async getDerived(prefix: string, key: string): Promise<unknown> {
    // Listed rather than read blind: a prefix-scoped grant answers 403, not 404, for a missing key.
    let stored = false;
    for await (const object of this.listPrefix(prefix)) if (object.key === key) stored = true;
    if (!stored) return undefined;
    let body: Uint8Array;
    try {
      body = (await this.getBytes(key)).body;
    } catch (error) {
      if (error instanceof NotFoundError) return undefined; // replaced by a writer since the listing
      throw error;
    }
    return parseGzippedJson(key, body);
  }

  private async putDerived(prefix: string, key: string, value: unknown): Promise<void> {
    await this.putGzippedJson(key, value);
    // Objects of earlier inputs are stale: best effort, a leftover costs storage only (readers look up by hash).
    try {
      for await (const object of this.listPrefix(prefix)) {
        if (object.key !== key) await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: object.key }));
      }
    } catch {
      // Left for the next update.
    }
  }

  private async putGzippedJson(key: string, value: unknown): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: await gzipAsync(Buffer.from(JSON.stringify(value), 'utf8')),
        ContentType: 'application/json; charset=utf-8',
        ContentEncoding: 'gzip',
      }),
    );
  }

  /**
   * A write-once PUT (`If-None-Match: *`, which the local s3rver honours too: local-aws-servers.ts): true when it
   * created the object, false when the key was there (412), or being created by a racing writer (409). A
   * content-addressed object is the same bytes whoever wrote it, so one request does what a HEAD and a PUT did.
   */
  private async createOnce(command: PutObjectCommand): Promise<boolean> {
    try {
      await this.client.send(command);
      return true;
    } catch (error) {
      if (error instanceof S3ServiceException && (error.$metadata?.httpStatusCode === 412 || error.$metadata?.httpStatusCode === 409)) return false;
      throw error;
    }
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  async *listPrefix(prefix: string): AsyncIterable<StoredObjectSummary> {
    let continuationToken: string | undefined;
    do {
      const response = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: prefix,
          MaxKeys: this.listPageSize,
          ContinuationToken: continuationToken,
        }),
      );
      for (const object of response.Contents ?? []) {
        if (!object.Key) continue;
        yield { key: object.Key, size: object.Size ?? 0, lastModified: object.LastModified };
      }
      continuationToken = response.IsTruncated ? response.NextContinuationToken : undefined;
    } while (continuationToken);
  }

  private async putJson(key: string, json: string, metadata?: Record<string, string>): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: Buffer.from(json, 'utf8'),
        ContentType: 'application/json; charset=utf-8',
        Metadata: metadata,
      }),
    );
  }

  private async getJson<T>(key: string): Promise<T> {
    const { body } = await this.getBytes(key);
    try {
      return JSON.parse(utf8Text(body)) as T;
    } catch (error) {
      throw new RedlineError(`Stored object ${key} is not valid JSON`, { cause: error });
    }
  }

  private async getBytes(key: string): Promise<{ body: Uint8Array; contentType?: string; metadata?: Record<string, string> }> {
    try {
      const response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (!response.Body) throw new RedlineError(`Stored object ${key} has no body`);
      return { body: await response.Body.transformToByteArray(), contentType: response.ContentType, metadata: response.Metadata };
    } catch (error) {
      if (isNotFound(error)) throw new NotFoundError(`No stored object ${key}`, { cause: error });
      throw error;
    }
  }
}

/** docs/<page>/<sha256>.json -> terms/<page>/<sha256>.json.gz (the Document's term index). */
export function termIndexKey(documentKey: string): string {
  const match = DOCUMENT_KEY_PARTS.exec(documentKey);
  if (!match) throw new ValidationError(`Not a document key: ${documentKey}`);
  return snapshotKeys.termIndex(match[1]!, match[2]!);
}

/** The bytes decoded as UTF-8, read in place (Buffer.from of a Uint8Array would copy them first). */
function utf8Text(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

async function parseGzippedJson(key: string, body: Uint8Array): Promise<unknown> {
  try {
    return JSON.parse(utf8Text(await gunzipAsync(body))) as unknown;
  } catch (error) {
    throw new RedlineError(`Stored object ${key} is not gzipped JSON`, { cause: error });
  }
}

/** A missing object (a missing bucket is a deployment error, not a 404 for the caller). */
function isNotFound(error: unknown): boolean {
  if (!(error instanceof S3ServiceException) || error.name === 'NoSuchBucket') return false;
  return error.name === 'NoSuchKey' || error.name === 'NotFound' || error.$metadata?.httpStatusCode === 404;
}

/** x-amz-meta-captured-at: a Document stored with a capture time other than its write time (an imported capture). */
const CAPTURED_AT_METADATA = 'captured-at';

function validCaptureTime(value: string | undefined): string | undefined {
  return value !== undefined && !Number.isNaN(Date.parse(value)) ? value : undefined;
}

function assertIsoTime(time: string): string {
  if (typeof time !== 'string' || Number.isNaN(Date.parse(time))) throw new ValidationError(`Invalid capture time: ${String(time)}`);
  return new Date(time).toISOString();
}

function assertHash(hash: string): string {
  if (typeof hash !== 'string' || !/^[0-9a-f]{64}$/.test(hash)) throw new ValidationError('Expected a hex sha256');
  return hash;
}

function assertSeq(seq: number): number {
  if (!Number.isSafeInteger(seq) || seq < 0) throw new ValidationError(`Invalid revision seq: ${seq}`);
  return seq;
}
