import pLimit from 'p-limit';
import { checkPhrases, phraseFacts, trackPhrases, type EditionPhraseFacts, type PhraseTrack } from '../../domain/key-phrases.js';
import { profileByName } from '../../domain/profiles/index.js';
import { NotFoundError } from '../../errors.js';
import { listAllSeries } from './series.js';
import type { QueryDependencies } from './views.js';

export interface KeyPhrasesRequest {
  /** A series prefix (hrr: every series hrr/...), or one series. */
  report: string;
  /** Phrases of the user's, tracked besides the profile's. */
  phrases?: string[];
  /** Leave out the phrases the pages' profile names. */
  profilePhrases?: boolean;
}

export interface KeyPhrasesResult {
  report: string;
  phrases: string[];
  /** One track per series and phrase, series in name order, phrases in order given. */
  tracks: PhraseTrack[];
}

const SERIES_AT_ONCE = 4;

/**
 * Key phrases (key-phrases.ts) over the latest capture of every edition of each series of the report. Each series is
 * walked oldest edition first, one Document at a time; only the phrase facts (and the summary's sentences) are kept.
 * The profile's phrases are those of the first captured Document's profile (every page of a report has the same).
 */
export async function trackKeyPhrases(dependencies: QueryDependencies, request: KeyPhrasesRequest): Promise<KeyPhrasesResult> {
  const own = request.phrases ?? [];
  if (own.length > 0) checkPhrases(own);
  const all = await listAllSeries(dependencies);
  const members = all.includes(request.report) ? [request.report] : all.filter((series) => series.startsWith(`${request.report}/`));
  if (members.length === 0)
    throw new NotFoundError(`No series of report ${request.report} (give a series prefix such as hrr, or a series such as hrr/kazakhstan)`);

  // The profile is known from the first Document read; phrases are resolved before any Document is counted.
  const located = await Promise.all(
    members.map(async (series) => {
      const editions = (await dependencies.revisions.listEditions(series))
        .filter((entry): entry is typeof entry & { edition: number } => entry.edition !== undefined)
        .sort((a, b) => a.edition - b.edition);
      const revisions = await Promise.all(
        editions.map(async (entry) => ({ edition: entry.edition, revision: await dependencies.revisions.latestRevision(entry.page) })),
      );
      return { series, revisions: revisions.filter((entry) => entry.revision !== undefined) };
    }),
  );
  const first = located.flatMap((entry) => entry.revisions)[0];
  let phrases = own;
  if (request.profilePhrases !== false && first?.revision) {
    const profile = profileByName((await dependencies.snapshots.getDocument(first.revision.documentKey)).profile);
    phrases = [...(profile?.keyPhrases ?? []), ...own];
  }
  const distinct = checkPhrases(phrases);

  const limit = pLimit(SERIES_AT_ONCE);
  const tracks = await Promise.all(
    located.map(({ series, revisions }) =>
      limit(async () => {
        const facts: EditionPhraseFacts[] = [];
        for (const { edition, revision } of revisions)
          facts.push(phraseFacts(await dependencies.snapshots.getDocument(revision!.documentKey), edition, distinct));
        return trackPhrases(series, facts, distinct);
      }),
    ),
  );
  return {
    report: request.report,
    phrases: distinct,
    tracks: tracks.flat().sort((a, b) => a.series.localeCompare(b.series) || distinct.indexOf(a.phrase) - distinct.indexOf(b.phrase)),
  };
}
