import { writeFile } from 'node:fs/promises';
import { WARCRecord, WARCSerializer } from 'warcio';

/** Builds small WARC files in the tests (with warcio itself), so no binary fixture is committed. */
export interface WarcRecordSpec {
  type: 'response' | 'resource' | 'request' | 'revisit' | 'metadata';
  url: string;
  /** WARC-Date, ISO-8601. */
  date: string;
  body?: string | Uint8Array;
  /** response/request: the HTTP headers. */
  httpHeaders?: Record<string, string>;
  statusline?: string;
  /** resource/metadata: the record's Content-Type. */
  contentType?: string;
}

export async function warcBytes(records: readonly WarcRecordSpec[], options: { gzip?: boolean } = {}): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for (const spec of records) {
    const body = typeof spec.body === 'string' ? new TextEncoder().encode(spec.body) : (spec.body ?? new Uint8Array());
    const record = WARCRecord.create(
      {
        url: spec.url,
        date: spec.date,
        type: spec.type,
        warcVersion: 'WARC/1.1',
        ...(spec.httpHeaders ? { httpHeaders: spec.httpHeaders } : {}),
        ...(spec.statusline ? { statusline: spec.statusline } : {}),
        ...(spec.contentType ? { warcHeaders: { 'Content-Type': spec.contentType } } : {}),
      },
      (async function* () {
        yield body;
      })(),
    );
    parts.push(await WARCSerializer.serialize(record, { gzip: options.gzip ?? false }));
  }
  return Buffer.concat(parts);
}

export async function writeWarc(file: string, records: readonly WarcRecordSpec[], options: { gzip?: boolean } = {}): Promise<string> {
  await writeFile(file, await warcBytes(records, options));
  return file;
}

export function htmlResponse(url: string, date: string, html: string | Uint8Array, headers: Record<string, string> = {}): WarcRecordSpec {
  return { type: 'response', url, date, body: html, httpHeaders: { 'Content-Type': 'text/html; charset=utf-8', ...headers } };
}
