import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { brotliDecompress, gunzip, inflate, inflateRaw } from 'node:zlib';
import { AsyncIterReader, WARCParser, type WARCRecord } from 'warcio';
import type { ArchivedCapture, CaptureSourceItem } from '../../use-cases/import-pages.js';
import { decodeHtml } from '../outbound-http/charset.js';
import { DEFAULT_MAX_PAGE_BYTES } from '../../page-limits.js';

/**
 * Captures from archives on disk, for `redline import`: saved pages (.html, .htm, optionally gzip-compressed) and
 * WARC files (.warc, .warc.gz; `response` records of HTML with status 200, and `resource` records of HTML).
 * Everything streams: directories are walked lazily (one directory listing at a time), a saved page is read when
 * its turn comes, and a WARC file is parsed one record at a time, so memory does not grow with the archive.
 */
export type ArchiveKind = 'html' | 'warc';

export interface ArchiveFile {
  path: string;
  kind: ArchiveKind;
  size: number;
  mtime: Date;
}

export interface ArchiveSurvey {
  /** Files that will be read, by kind. */
  htmlFiles: number;
  warcFiles: number;
  /** Their size on disk. */
  bytes: number;
  /** Files inside the directories given that are neither pages nor WARCs (left alone). */
  ignoredFiles: number;
}

export interface ArchiveReadOptions {
  /** A page (decompressed) larger than this is not read (default 50 MiB). */
  maxPageBytes?: number;
  /** Told how many bytes on disk were consumed since the last call (for progress against the survey). */
  onDiskBytes?: (bytes: number) => void;
  /** Told of each WARC record that is not an HTML page (requests, metadata, redirects, images...). */
  onIgnoredRecord?: (source: string, reason: string) => void;
}

export { DEFAULT_MAX_PAGE_BYTES };

const HTML_MEDIA_TYPES = new Set(['text/html', 'application/xhtml+xml']);
const gunzipAsync = promisify(gunzip);
const brotliAsync = promisify(brotliDecompress);
const inflateAsync = promisify(inflate);
const inflateRawAsync = promisify(inflateRaw);

/** The kind of a file by its name, or undefined for anything else. */
export function archiveKind(path: string): ArchiveKind | undefined {
  const name = basename(path).toLowerCase();
  if (/\.(?:html?|xhtml)(?:\.gz)?$/.test(name)) return 'html';
  if (/\.warc(?:\.gz)?$/.test(name)) return 'warc';
  return undefined;
}

/**
 * The files the paths name: files as given (whatever their name: a file named on purpose is read, and fails if it is
 * neither kind), directories walked recursively in name order, keeping pages and WARCs and skipping hidden entries.
 * Symbolic links to files are followed; links to directories are not (no cycles).
 */
export async function* archiveFiles(
  paths: readonly string[],
  onIgnored?: (path: string) => void,
): AsyncGenerator<ArchiveFile | { path: string; error: string }> {
  for (const path of paths) {
    let info;
    try {
      info = await stat(path);
    } catch (error) {
      yield { path, error: `cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
      continue;
    }
    if (info.isDirectory()) {
      yield* walkDirectory(path, onIgnored);
      continue;
    }
    const kind = archiveKind(path);
    if (!kind) {
      yield { path, error: 'not a saved page or a WARC file (expected .html, .htm, .html.gz, .warc or .warc.gz)' };
      continue;
    }
    yield { path, kind, size: info.size, mtime: info.mtime };
  }
}

async function* walkDirectory(directory: string, onIgnored?: (path: string) => void): AsyncGenerator<ArchiveFile | { path: string; error: string }> {
  let entries;
  try {
    entries = await readdir(directory, { withFileTypes: true });
  } catch (error) {
    yield { path: directory, error: `cannot list: ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = join(directory, entry.name);
    if (entry.isDirectory()) {
      yield* walkDirectory(path, onIgnored);
      continue;
    }
    if (!entry.isFile() && !entry.isSymbolicLink()) continue;
    const kind = archiveKind(path);
    if (!kind) {
      if (entry.isFile()) onIgnored?.(path);
      continue;
    }
    try {
      const info = await stat(path);
      if (info.isFile()) yield { path, kind, size: info.size, mtime: info.mtime };
    } catch (error) {
      yield { path, error: `cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
    }
  }
}

/** Counts what the paths hold without reading any file (for progress totals). */
export async function surveyArchives(paths: readonly string[]): Promise<ArchiveSurvey> {
  const survey: ArchiveSurvey = { htmlFiles: 0, warcFiles: 0, bytes: 0, ignoredFiles: 0 };
  for await (const file of archiveFiles(paths, () => survey.ignoredFiles++)) {
    if ('error' in file) continue;
    if (file.kind === 'html') survey.htmlFiles++;
    else survey.warcFiles++;
    survey.bytes += file.size;
  }
  return survey;
}

/** Every capture the paths hold, one at a time; unreadable inputs are reported in the stream, never thrown. */
export async function* archiveCaptures(paths: readonly string[], options: ArchiveReadOptions = {}): AsyncGenerator<CaptureSourceItem> {
  const maxPageBytes = options.maxPageBytes ?? DEFAULT_MAX_PAGE_BYTES;
  for await (const file of archiveFiles(paths)) {
    if ('error' in file) {
      yield { unreadable: { source: file.path, error: file.error } };
      continue;
    }
    if (file.kind === 'html') {
      yield await readSavedPage(file, maxPageBytes);
      options.onDiskBytes?.(file.size);
    } else {
      yield* readWarc(file, maxPageBytes, options);
    }
  }
}

async function readSavedPage(file: ArchiveFile, maxPageBytes: number): Promise<CaptureSourceItem> {
  const source = file.path;
  if (file.size > maxPageBytes) return { unreadable: { source, error: `larger than ${maxPageBytes} bytes`, badInput: true } };
  try {
    let body: Uint8Array = await readFile(file.path);
    // Saved pages may be gzip-compressed whatever their name says.
    if (body[0] === 0x1f && body[1] === 0x8b) body = await gunzipAsync(body, { maxOutputLength: maxPageBytes });
    return { capture: capture(source, body, 'text/html', undefined, file.mtime.toISOString()) };
  } catch (error) {
    const reason =
      error instanceof RangeError || (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE'
        ? `larger than ${maxPageBytes} bytes once decompressed`
        : describe(error);
    return { unreadable: { source, error: reason, ...(isSystemError(error) ? {} : { badInput: true }) } };
  }
}

async function* readWarc(file: ArchiveFile, maxPageBytes: number, options: ArchiveReadOptions): AsyncGenerator<CaptureSourceItem> {
  const stream = createReadStream(file.path);
  const parser = new WARCParser(stream);
  let consumed = 0;
  const advance = (offset: number) => {
    if (offset > consumed) {
      options.onDiskBytes?.(offset - consumed);
      consumed = offset;
    }
  };
  let records = 0;
  try {
    for await (const record of parser) {
      records++;
      const source = `${file.path}#${parser.offset}`;
      advance(parser.offset);
      // warcio returns what it read of a header the file ends inside: a record without the fields every record has.
      const missing = MANDATORY_WARC_FIELDS.filter((name) => !record.warcHeader(name));
      if (missing.length > 0) {
        yield {
          unreadable: {
            source,
            error: `the file ends inside the header of WARC record ${records} (offset ${parser.offset}; no ${missing.join(', ')}): a truncated WARC`,
            badInput: true,
          },
        };
        break;
      }
      const item = await readRecord(record, source, file, maxPageBytes, options);
      // warcio skips an unread record by seeking past its Content-Length, and loops forever when the file ends
      // first (a truncated WARC): read what is left of it here, where the end of the file ends the read.
      await drain(record);
      if (item) yield item;
    }
    advance(file.size);
  } catch (error) {
    yield {
      unreadable: {
        source: `${file.path}#${parser.offset}`,
        error: `not a readable WARC after ${records} record(s): ${describe(error)}`,
        ...(isSystemError(error) ? {} : { badInput: true }),
      },
    };
    advance(file.size);
  } finally {
    stream.destroy();
  }
}

async function readRecord(
  record: WARCRecord,
  source: string,
  file: ArchiveFile,
  maxPageBytes: number,
  options: ArchiveReadOptions,
): Promise<CaptureSourceItem | undefined> {
  const type = record.warcType;
  const ignore = (reason: string) => {
    options.onIgnoredRecord?.(source, reason);
    return undefined;
  };
  let contentType: string | null | undefined;
  if (type === 'response') {
    const status = Number(record.httpHeaders?.statusCode);
    if (status !== 200) return ignore(`HTTP status ${Number.isNaN(status) ? 'missing' : status}`);
    contentType = record.httpHeaders?.headers.get('content-type');
  } else if (type === 'resource') {
    contentType = record.warcContentType;
  } else {
    return ignore(`a ${type} record`);
  }
  const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (!HTML_MEDIA_TYPES.has(mediaType)) return ignore(`not HTML (${mediaType || 'no content type'})`);
  if (record.warcContentLength > maxPageBytes) return { unreadable: { source, error: `a record larger than ${maxPageBytes} bytes`, badInput: true } };

  const archivedAt = isoDate(record.warcDate) ?? file.mtime.toISOString();
  const url = record.warcTargetURI ?? undefined;
  try {
    const encoding = record.httpHeaders?.headers.get('content-encoding')?.trim().toLowerCase();
    if (encoding && !['identity', 'gzip', 'x-gzip', 'deflate', 'br'].includes(encoding)) {
      return { unreadable: { source, error: `unsupported Content-Encoding ${encoding}` } };
    }
    // The payload as sent, de-chunked but still encoded: never larger than the record (checked against the cap above).
    // warcio would also decode it, whole and with no cap (readFully(true)); it is decoded here, under the cap.
    const chunked = /chunked/i.test(record.httpHeaders?.headers.get('transfer-encoding') ?? '');
    const payload = chunked ? await new AsyncIterReader(record.reader, null, true).readFully() : await record.readFully(false);
    let body: Uint8Array;
    if (encoding === 'br') body = await brotliAsync(payload, { maxOutputLength: maxPageBytes });
    else if (encoding === 'gzip' || encoding === 'x-gzip') body = await gunzipAsync(payload, { maxOutputLength: maxPageBytes });
    else if (encoding === 'deflate') body = await inflateAny(payload, maxPageBytes);
    else body = payload;
    if (body.byteLength > maxPageBytes) return { unreadable: { source, error: `larger than ${maxPageBytes} bytes once decoded` } };
    return { capture: capture(source, body, mediaType, url, archivedAt, contentType ?? undefined) };
  } catch (error) {
    if (error instanceof RangeError || (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      return {
        unreadable: {
          source,
          error: `over ${capLabel(maxPageBytes)} once decoded (Content-Encoding ${record.httpHeaders?.headers.get('content-encoding')})`,
          badInput: true,
        },
      };
    }
    return { unreadable: { source, error: describe(error), ...(isSystemError(error) ? {} : { badInput: true }) } };
  }
}

/** The fields WARC 1.0 and 1.1 require of every record. */
const MANDATORY_WARC_FIELDS = ['WARC-Record-ID', 'Content-Length', 'WARC-Date', 'WARC-Type'] as const;

/** An error of the system (a file that cannot be read), not of the bytes read (corrupt or truncated data). */
function isSystemError(error: unknown): boolean {
  return typeof (error as NodeJS.ErrnoException | undefined)?.syscall === 'string';
}

function capLabel(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MB` : `${bytes} bytes`;
}

/** HTTP "deflate": zlib-wrapped as the RFC says, or raw deflate as some servers send it; decoded under the cap. */
async function inflateAny(bytes: Uint8Array, maxPageBytes: number): Promise<Uint8Array> {
  try {
    return await inflateAsync(bytes, { maxOutputLength: maxPageBytes });
  } catch (error) {
    if (error instanceof RangeError || (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw error;
    return await inflateRawAsync(bytes, { maxOutputLength: maxPageBytes });
  }
}

async function drain(record: WARCRecord): Promise<void> {
  if (record.consumed) return;
  for await (const chunk of record.reader) void chunk;
  record.consumed = 'skipped';
}

function capture(
  source: string,
  body: Uint8Array,
  mediaType: string,
  url: string | undefined,
  archivedAt: string,
  contentType?: string,
): ArchivedCapture {
  return {
    source,
    body,
    text: decodeHtml(body, contentType).text,
    contentType: mediaType,
    ...(url ? { url } : {}),
    archivedAt,
  };
}

function isoDate(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
