/**
 * Every URL the UI prints, relative to the API's base path (empty on the `$default` stage and locally, `/<stage>`
 * on a named stage). Series ids and section keys go into a path segment with `~` for `/`, as the API expects.
 */
export type DiffView = 'inline' | 'side-by-side';

export interface DiffDisplay {
  view?: DiffView;
  hideTrivial?: boolean;
  unchanged?: boolean;
}

export const UI_ROOT = '/ui';

export function pathSegment(value: string): string {
  return encodeURIComponent(value.replaceAll('/', '~'));
}

function query(parameters: Record<string, string | number | boolean | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters)) if (value !== undefined && value !== false) search.set(name, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

function displayParameters(display: DiffDisplay = {}) {
  return {
    view: display.view === 'side-by-side' ? 'side-by-side' : undefined,
    hideTrivial: display.hideTrivial ? 'true' : undefined,
    unchanged: display.unchanged ? 'true' : undefined,
  };
}

export class UiLinks {
  constructor(readonly base: string) {}

  home(): string {
    return `${this.base}${UI_ROOT}`;
  }
  homePage(cursor: string): string {
    return `${this.home()}${query({ cursor })}`;
  }
  series(series: string): string {
    return `${this.base}${UI_ROOT}/series/${pathSegment(series)}`;
  }
  compare(series: string, from: number, to: number, display?: DiffDisplay): string {
    return `${this.series(series)}/compare${query({ from, to, ...displayParameters(display) })}`;
  }
  page(page: string, cursor?: string): string {
    return `${this.base}${UI_ROOT}/pages/${encodeURIComponent(page)}${query({ cursor })}`;
  }
  revision(page: string, seq: number): string {
    return `${this.page(page)}/revisions/${seq}`;
  }
  /** A revision as captured (outline and text). */
  snapshot(page: string, seq: number): string {
    return `${this.revision(page, seq)}/snapshot`;
  }
  /** A revision's raw HTML, as a download. */
  rawSnapshot(page: string, seq: number): string {
    return `${this.revision(page, seq)}/raw`;
  }
  diff(page: string, from: number, to: number, display?: DiffDisplay): string {
    return `${this.page(page)}/diff${query({ from, to, ...displayParameters(display) })}`;
  }
  sectionHistory(page: string, key: string): string {
    return `${this.page(page)}/sections/${pathSegment(key)}/history`;
  }
  audit(parameters: { terms?: string; series?: string; by?: string; wholeWord?: boolean } = {}): string {
    return `${this.base}${UI_ROOT}/audit${query({ ...parameters, wholeWord: parameters.wholeWord ? 'true' : undefined })}`;
  }
  /** The subscribe form, its filters filled in (the query names are the form's field names). */
  subscribe(prefill: { series?: string; page?: string } = {}): string {
    return `${this.base}${UI_ROOT}/subscribe${query({ series: prefill.series, pages: prefill.page })}`;
  }
  /** Blame of a page's revision (default: its latest); `edition` blames that edition's page of the same series. */
  blame(page: string, options: { seq?: number; edition?: number; section?: string; cursor?: string } = {}): string {
    return `${this.page(page)}/blame${query({ edition: options.edition, seq: options.seq, section: options.section, cursor: options.cursor })}`;
  }
  /** Blame of one edition of a series. */
  seriesBlame(series: string, edition: number, section?: string): string {
    return `${this.series(series)}/blame${query({ edition, section })}`;
  }
  /** The removal ledger of a series: two editions, or every edition against the next. */
  removed(series: string, options: { from?: number; to?: number; term?: string; moved?: boolean; cursor?: string } = {}): string {
    const { from, to, term, cursor } = options;
    return `${this.series(series)}/removed${query({ from, to, term, moved: options.moved ? 'true' : undefined, cursor })}`;
  }
  /** A section of a series across all its editions. */
  sectionAcrossEditions(series: string, key: string, edition?: number): string {
    return `${this.series(series)}/sections/${pathSegment(key)}/history${query({ edition })}`;
  }
  /** Sentence search across the store. */
  search(parameters: { q?: string; series?: string } = {}): string {
    return `${this.base}${UI_ROOT}/search${query(parameters)}`;
  }
  asset(name: string): string {
    return `${this.base}${UI_ROOT}/assets/${name}`;
  }

  // The API itself (machine-readable formats, feeds, the subscription endpoint).
  api(path: string): string {
    return `${this.base}${path}`;
  }
  auditCsv(parameters: { terms: string; series?: string; by: string; wholeWord?: boolean }): string {
    return `${this.base}/audit${query({ ...parameters, wholeWord: parameters.wholeWord ? 'true' : undefined, format: 'csv' })}`;
  }
  auditJson(parameters: { terms: string; series?: string; by: string; wholeWord?: boolean }): string {
    return `${this.base}/audit${query({ ...parameters, wholeWord: parameters.wholeWord ? 'true' : undefined })}`;
  }
  apiDiff(page: string, from: number, to: number, format: 'json' | 'text' | 'html'): string {
    return `${this.base}/pages/${encodeURIComponent(page)}/diff${query({ from, to, format })}`;
  }
  apiCompare(series: string, from: number, to: number, format: 'json' | 'text' | 'html'): string {
    return `${this.base}/series/${pathSegment(series)}/compare${query({ from, to, format })}`;
  }
  apiRemovedCsv(series: string, options: { from?: number; to?: number; term?: string; moved?: boolean }): string {
    const fate = options.moved ? 'removed,reworded,moved' : undefined;
    return `${this.base}/series/${pathSegment(series)}/removed${query({ from: options.from, to: options.to, term: options.term, fate, format: 'csv' })}`;
  }
  feedAll(): string {
    return `${this.base}/feeds/all.atom`;
  }
  feedPage(page: string): string {
    return `${this.base}/feeds/pages/${encodeURIComponent(page)}.atom`;
  }
  feedSeries(series: string): string {
    return `${this.base}/feeds/series/${pathSegment(series)}.atom`;
  }
}
