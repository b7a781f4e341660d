import type { ArchivedCapture, CaptureSourceItem } from '../../shared/use-cases/import-pages.js';

/** Test helpers for importPages' input: captures as an archive or a folder of saved pages hands them over. */

/** One capture of `text` from `source`, archived 2025-06-01, with the archive's URL when there is one. */
export function archivedItem(source: string, text: string, url?: string): CaptureSourceItem {
  const capture: ArchivedCapture = {
    source,
    body: new TextEncoder().encode(text),
    text,
    contentType: 'text/html',
    archivedAt: '2025-06-01T00:00:00.000Z',
    ...(url !== undefined ? { url } : {}),
  };
  return { capture };
}

/** The items as the async source importPages reads. */
export async function* fromList(items: readonly CaptureSourceItem[]): AsyncGenerator<CaptureSourceItem> {
  for (const item of items) yield item;
}
