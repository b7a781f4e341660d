import type { z } from 'zod';
import { parseWithSchema } from '../../../shared/use-cases/queries/query-input.js';
import { versionText } from '../../../shared/domain/provenance/removal-ledger.js';
import type { VersionLabel } from '../../../shared/domain/provenance/blame.js';
import type { ApiEvent } from '../http/api-request.js';
import { html, type SafeHtml } from './html.js';
import type { UiLinks } from './ui-links.js';

/**
 * What the history views (blame, removal ledger, search, snapshot) share: their query parsing (the first value of
 * each name, empty values dropped, as the other views do) and links to a version.
 */
export function viewQuery<T extends z.ZodType>(event: ApiEvent, schema: T): z.infer<T> {
  const search = event.rawQueryString
    ? new URLSearchParams(event.rawQueryString)
    : new URLSearchParams(Object.entries(event.queryStringParameters ?? {}).map(([name, value]) => [name, value ?? '']));
  const values: Record<string, string> = {};
  for (const [name, value] of search) if (value !== '' && !(name in values)) values[name] = value;
  return parseWithSchema(schema, values, 'query');
}

/** A version as `2023` or `2023#2` (`#3` without an edition), linking to its snapshot. */
export function versionLink(links: UiLinks, label: VersionLabel | undefined): SafeHtml {
  if (!label) return html``;
  return html`<a href="${links.revision(label.page, label.seq)}" title="${label.page}, revision #${label.seq}">${versionText(label)}</a>`;
}

/** "2016-2019, 2021" from ascending editions. */
export function editionRanges(editions: readonly number[]): string {
  const parts: string[] = [];
  let start: number | undefined;
  let previous: number | undefined;
  for (const edition of [...editions, Number.NaN]) {
    if (previous !== undefined && edition === previous + 1) {
      previous = edition;
      continue;
    }
    if (start !== undefined) parts.push(start === previous ? String(start) : `${start}-${previous}`);
    start = previous = Number.isNaN(edition) ? undefined : edition;
  }
  return parts.join(', ');
}
