import pLimit from 'p-limit';
import { documentShingles, shingleSimilarity, type ShingleSet } from '../domain/identity/content-continuity.js';
import type { ResolvedPageIdentity } from '../domain/identity/resolve-page-identity.js';
import {
  checkLink,
  checkUnlink,
  contentComparisonsNeeded,
  decideLineages,
  lineageOf,
  overridePair,
  similarityKey,
  type Lineage,
  type LineageDecision,
  type LineageOverride,
  type RejectedLink,
  type SeriesLink,
  type SeriesPageFacts,
} from '../domain/identity/series-lineage.js';
import { ConflictError, NotFoundError } from '../errors.js';
import type { PageRecord } from '../domain/page-records.js';
import type { PageOfItems } from '../ports/revision-store.js';
import type { PageSignalsRecord, StoredLineage } from '../ports/series-lineage-records.js';
import type { TrackerDependencies } from './tracker-dependencies.js';

/**
 * Keeping series lineage in step with the store (docs/page-identity.md). The decision is derived data: it is made
 * again from every page's signals, the overrides and the text of the editions where one series hands over to
 * another, and saved as aliases (each member series points at its lineage). No page, revision or object is copied
 * or moved: queries by series resolve the alias, so re-linking later loses and duplicates nothing.
 */
export type LineageDependencies = Pick<TrackerDependencies, 'revisions' | 'snapshots' | 'now'>;

export interface LineageRefresh {
  decision: LineageDecision;
  /** Links that are new since the last decision, and links that are gone. */
  linked: SeriesLink[];
  unlinked: Array<{ from: string; to: string }>;
}

const LIST_BATCH = 500;
const DOCUMENT_READS = 4;
const MAX_ATTEMPTS = 5;

/** Decides the lineages from what the store holds now and saves them; redone when facts changed meanwhile. */
export async function refreshSeriesLineage(dependencies: LineageDependencies): Promise<LineageRefresh> {
  const { revisions } = dependencies;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const version = await revisions.lineageFactsVersion();
    const [decision, previous] = await Promise.all([currentDecision(dependencies), revisions.listLineages()]);
    const decidedAt = dependencies.now().toISOString();
    await revisions.saveLineages(
      decision.lineages.filter((lineage) => lineage.members.length > 1).map((lineage) => storedLineage(lineage, decidedAt)),
    );
    // A capture or an override that changed the facts while this one decided: decide again, on the new facts.
    if ((await revisions.lineageFactsVersion()) !== version) continue;
    return { decision, ...changes(previous, decision) };
  }
  throw new ConflictError(`Series lineage kept changing while it was decided (${MAX_ATTEMPTS} attempts): try again`);
}

/** The decision the store's facts give now (nothing saved). */
export async function currentDecision(dependencies: LineageDependencies): Promise<LineageDecision> {
  const [facts, overrides] = await Promise.all([gatherFacts(dependencies), dependencies.revisions.listLineageOverrides()]);
  const similarities = await measureContinuity(dependencies, facts);
  return decideLineages(facts, overrides, similarities);
}

export interface OverrideResult {
  override: LineageOverride;
  lineage: Lineage;
  refresh: LineageRefresh;
}

/**
 * Links two series by hand. Refused, with nothing changed, when either is unknown, when they are one series already
 * (a cycle), when they share an edition, or when the link would join series an unlink keeps apart.
 */
export async function linkSeries(dependencies: LineageDependencies, a: string, b: string): Promise<OverrideResult> {
  const overrides = await dependencies.revisions.listLineageOverrides();
  checkLink(await currentDecision(dependencies), overrides, a, b);
  const override: LineageOverride = { ...overridePair(a, b), action: 'link', decidedAt: dependencies.now().toISOString() };
  await dependencies.revisions.putLineageOverride(override);
  const refresh = await refreshSeriesLineage(dependencies);
  return { override, lineage: lineageOf(refresh.decision, a)!, refresh };
}

/** Unlinks two directly linked series by hand, for good: later evidence does not join them again. */
export async function unlinkSeries(dependencies: LineageDependencies, a: string, b: string): Promise<OverrideResult & { removed: SeriesLink }> {
  const removed = checkUnlink(await currentDecision(dependencies), a, b);
  const override: LineageOverride = { ...overridePair(a, b), action: 'unlink', decidedAt: dependencies.now().toISOString() };
  await dependencies.revisions.putLineageOverride(override);
  const refresh = await refreshSeriesLineage(dependencies);
  return { override, lineage: lineageOf(refresh.decision, a)!, refresh, removed };
}

/** A page's signals, stored when they differ from those stored; true when they changed (a refresh is due). */
export async function recordPageSignals(
  dependencies: Pick<TrackerDependencies, 'revisions'>,
  page: Pick<PageRecord, 'page' | 'series' | 'edition' | 'profile'>,
  identity: Pick<ResolvedPageIdentity, 'signals' | 'identifiedBy' | 'evidence'>,
  recordedAt: string,
): Promise<boolean> {
  const record = signalsRecordOf(page, identity, recordedAt);
  if (!record) return false;
  const stored = await dependencies.revisions.getPageSignals(page.page);
  if (stored && sameSignals(stored, record)) return false;
  await dependencies.revisions.putPageSignals(record);
  return true;
}

/** Page signals to record: a page's, from the identity of its newest capture. */
export interface PageSignalsEntry {
  page: Pick<PageRecord, 'page' | 'series' | 'edition' | 'profile'>;
  identity: Pick<ResolvedPageIdentity, 'signals' | 'identifiedBy' | 'evidence'>;
  recordedAt: string;
}

/**
 * recordPageSignals for many pages (an import's): the stored signals read in batches, those that differ put in
 * batches. True when any changed.
 */
export async function recordPagesSignals(
  dependencies: Pick<TrackerDependencies, 'revisions'>,
  entries: readonly PageSignalsEntry[],
): Promise<boolean> {
  const records = entries.flatMap(({ page, identity, recordedAt }) => signalsRecordOf(page, identity, recordedAt) ?? []);
  if (records.length === 0) return false;
  const stored = await dependencies.revisions.getPageSignalsBatch(records.map((record) => record.page));
  const changed = records.filter((record) => {
    const previous = stored.get(record.page);
    return !previous || !sameSignals(previous, record);
  });
  if (changed.length === 0) return false;
  await dependencies.revisions.putPageSignalsBatch(changed);
  return true;
}

function signalsRecordOf(
  page: Pick<PageRecord, 'page' | 'series' | 'edition' | 'profile'>,
  identity: Pick<ResolvedPageIdentity, 'signals' | 'identifiedBy' | 'evidence'>,
  recordedAt: string,
): PageSignalsRecord | undefined {
  if (!page.series) return undefined;
  return {
    page: page.page,
    series: page.series,
    ...(page.edition !== undefined ? { edition: page.edition } : {}),
    profile: page.profile,
    signals: identity.signals,
    ...(identity.identifiedBy ? { identifiedBy: identity.identifiedBy } : {}),
    ...(identity.evidence.length > 0 ? { notes: identity.evidence } : {}),
    recordedAt,
  };
}

export interface SeriesListing {
  /** The series users see (the lineage's id). */
  series: string;
  profile: string;
  /** Its other names: the slugs the site used in other editions. */
  aliases: string[];
  editions: Array<{ edition?: number; page: string; series: string; url: string }>;
  links: SeriesLink[];
  /** Manual unlinks that keep one of its series apart from another. */
  keptApart: LineageOverride[];
}

/** Every series of the store with its editions, aliases and the evidence of its links (`redline series list`). */
export async function listSeriesLineages(dependencies: Pick<TrackerDependencies, 'revisions'>): Promise<SeriesListing[]> {
  const { revisions } = dependencies;
  const [pages, lineages, overrides] = await Promise.all([listAllPages(dependencies), revisions.listLineages(), revisions.listLineageOverrides()]);
  const lineageOfSeries = new Map<string, StoredLineage>();
  for (const lineage of lineages) for (const member of lineage.members) lineageOfSeries.set(member, lineage);
  const listings = new Map<string, SeriesListing>();
  for (const page of pages) {
    if (!page.series) continue;
    const lineage = lineageOfSeries.get(page.series);
    const id = lineage?.id ?? page.series;
    let listing = listings.get(id);
    if (!listing) {
      const members = lineage?.members ?? [page.series];
      listing = {
        series: id,
        profile: lineage?.profile ?? page.profile,
        aliases: members.filter((member) => member !== id),
        editions: [],
        links: lineage?.links ?? [],
        keptApart: overrides.filter((override) => override.action === 'unlink' && (members.includes(override.a) || members.includes(override.b))),
      };
      listings.set(id, listing);
    }
    listing.editions.push({ ...(page.edition !== undefined ? { edition: page.edition } : {}), page: page.page, series: page.series, url: page.url });
  }
  for (const listing of listings.values()) listing.editions.sort((a, b) => (a.edition ?? -1) - (b.edition ?? -1) || a.page.localeCompare(b.page));
  return [...listings.values()].sort((a, b) => a.series.localeCompare(b.series));
}

/** One series' lineage (any member's name, or the lineage's). NotFoundError for a series with no pages. */
export async function seriesLineage(dependencies: Pick<TrackerDependencies, 'revisions'>, series: string): Promise<SeriesListing> {
  const { id } = await dependencies.revisions.resolveSeries(series);
  const listing = (await listSeriesLineages(dependencies)).find((entry) => entry.series === id);
  if (!listing) throw new NotFoundError(`No series ${series}`);
  return listing;
}

async function gatherFacts(dependencies: Pick<TrackerDependencies, 'revisions'>): Promise<SeriesPageFacts[]> {
  const [pages, signals] = await Promise.all([listAllPages(dependencies), listAllPageSignals(dependencies)]);
  const byPage = new Map(signals.map((record) => [record.page, record]));
  return pages.flatMap((page) =>
    page.series && page.edition !== undefined
      ? [{ page: page.page, series: page.series, edition: page.edition, profile: page.profile, signals: byPage.get(page.page)?.signals ?? {} }]
      : [],
  );
}

/** Text similarity of the hand-overs the decision needs, from each page's latest Document. */
async function measureContinuity(dependencies: LineageDependencies, facts: readonly SeriesPageFacts[]): Promise<Map<string, number>> {
  const comparisons = contentComparisonsNeeded(facts);
  const shingles = new Map<string, Promise<ShingleSet | undefined>>();
  const limit = pLimit(DOCUMENT_READS);
  const shinglesOf = (page: string) => {
    let entry = shingles.get(page);
    if (!entry) {
      entry = limit(async () => {
        const latest = await dependencies.revisions.latestRevision(page);
        return latest ? documentShingles(await dependencies.snapshots.getDocument(latest.documentKey)) : undefined;
      });
      shingles.set(page, entry);
    }
    return entry;
  };
  const similarities = new Map<string, number>();
  await Promise.all(
    comparisons.map(async ({ from, to }) => {
      const [a, b] = await Promise.all([shinglesOf(from), shinglesOf(to)]);
      if (a && b) similarities.set(similarityKey(from, to), shingleSimilarity(a, b));
    }),
  );
  return similarities;
}

function storedLineage(lineage: Lineage, decidedAt: string): StoredLineage {
  return { id: lineage.id, profile: lineage.profile, members: lineage.members, links: lineage.links, decidedAt };
}

function changes(previous: readonly StoredLineage[], decision: LineageDecision): Pick<LineageRefresh, 'linked' | 'unlinked'> {
  const key = (link: { from: string; to: string }) => `${link.from}\u0000${link.to}`;
  const before = new Set(previous.flatMap((lineage) => lineage.links.map(key)));
  const after = decision.lineages.flatMap((lineage) => lineage.links);
  const afterKeys = new Set(after.map(key));
  return {
    linked: after.filter((link) => !before.has(key(link))),
    unlinked: previous.flatMap((lineage) => lineage.links.filter((link) => !afterKeys.has(key(link))).map(({ from, to }) => ({ from, to }))),
  };
}

function sameSignals(a: PageSignalsRecord, b: PageSignalsRecord): boolean {
  return (
    a.series === b.series &&
    a.edition === b.edition &&
    a.profile === b.profile &&
    a.signals.name === b.signals.name &&
    JSON.stringify(a.signals.taxonomy ?? []) === JSON.stringify(b.signals.taxonomy ?? [])
  );
}

export function listAllPages(dependencies: Pick<TrackerDependencies, 'revisions'>): Promise<PageRecord[]> {
  return drain((cursor) => dependencies.revisions.listPages({ cursor, limit: LIST_BATCH }));
}

export function listAllPageSignals(dependencies: Pick<TrackerDependencies, 'revisions'>): Promise<PageSignalsRecord[]> {
  return drain((cursor) => dependencies.revisions.listPageSignals({ cursor, limit: LIST_BATCH }));
}

/** Every item of a paged listing. */
async function drain<T>(list: (cursor: string | undefined) => Promise<PageOfItems<T>>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const batch = await list(cursor);
    items.push(...batch.items);
    cursor = batch.cursor;
  } while (cursor);
  return items;
}

export type { RejectedLink };
