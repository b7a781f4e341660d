import { readFile, stat } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { sectionWordCount, type Document } from '../shared/domain/document.js';
import { diffDocuments } from '../shared/domain/diff-documents.js';
import { renderHtml, renderJson, renderUnified } from '../shared/domain/diff-rendering.js';
import { extract } from '../shared/domain/extract.js';
import { ValidationError } from '../shared/errors.js';
import { DEFAULT_MAX_PAGE_BYTES } from '../shared/page-limits.js';

/** Commands that work on saved pages, with no store: `redline extract` and `redline diff`. */

/**
 * A saved page's text, gzip or not. The same cap as import (DEFAULT_MAX_PAGE_BYTES), enforced while decoding (zlib
 * stops at it), so a gzip bomb costs at most the cap; bad input (a truncated or corrupt gzip, a page over the cap) is
 * a ValidationError naming the file (exit code 2).
 */
export async function readPageFile(file: string, maxBytes = DEFAULT_MAX_PAGE_BYTES): Promise<string> {
  const cap = `${Math.round(maxBytes / (1024 * 1024))} MB`;
  let bytes: Buffer;
  try {
    const size = (await stat(file)).size;
    if (size > maxBytes) throw new ValidationError(`${file} is over ${cap} (${size} bytes)`);
    bytes = await readFile(file);
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    throw new ValidationError(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
      cause: error,
    });
  }
  // Saved pages may be gzip-compressed (the test corpus is).
  const isGzip = bytes[0] === 0x1f && bytes[1] === 0x8b;
  if (!isGzip) return bytes.toString('utf8');
  try {
    return gunzipSync(bytes, { maxOutputLength: maxBytes }).toString('utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (error instanceof RangeError || code === 'ERR_BUFFER_TOO_LARGE') {
      throw new ValidationError(`${file} is over ${cap} once decompressed`, { cause: error });
    }
    throw new ValidationError(`${file} is not a readable gzip file: ${(error as Error).message}`, { cause: error });
  }
}

export async function extractFile(file: string, options: { url?: string; profile?: string }): Promise<Document> {
  return extract(await readPageFile(file), options);
}

export function formatOutline(document: Document): string {
  const lines = [
    `${document.title}`,
    `  url: ${document.canonicalUrl}`,
    `  profile: ${document.profile}${document.series ? `  series: ${document.series}` : ''}${
      document.edition !== undefined ? `  edition: ${document.edition}` : ''
    }`,
    ...(document.published || document.modified ? [`  published: ${document.published ?? '-'}  modified: ${document.modified ?? '-'}`] : []),
    '',
  ];
  const width = Math.max(...document.sections.map((section) => section.key.length));
  for (const section of document.sections) {
    const label = `${'  '.repeat(section.level - 1)}${section.number ? `${section.number} ` : ''}${section.heading}`;
    lines.push(`${section.key.padEnd(width)}  ${String(sectionWordCount(section)).padStart(6)} words  ${label}`);
  }
  return lines.join('\n') + '\n';
}

export type DiffFormat = 'text' | 'html' | 'json';

export async function diffFiles(
  oldFile: string,
  newFile: string,
  options: { format: DiffFormat; oldUrl?: string; newUrl?: string; hideTrivial?: boolean; includeUnchanged?: boolean },
): Promise<{ output: string; changed: boolean }> {
  const [previous, next] = await Promise.all([extractFile(oldFile, { url: options.oldUrl }), extractFile(newFile, { url: options.newUrl })]);
  const diff = diffDocuments(previous, next);
  const renderOptions = { hideTrivial: options.hideTrivial, includeUnchanged: options.includeUnchanged };
  const output =
    options.format === 'json'
      ? renderJson(diff, renderOptions)
      : options.format === 'html'
        ? renderHtml(diff, renderOptions)
        : renderUnified(diff, renderOptions);
  const changed = diff.sections.some((section) => section.kind !== 'unchanged');
  return { output, changed };
}
