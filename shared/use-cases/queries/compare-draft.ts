import { diffDocuments } from '../../domain/diff-documents.js';
import { extract } from '../../domain/extract.js';
import type { RevisionDiff } from '../../domain/revision-diff.js';
import { NotFoundError, ValidationError } from '../../errors.js';
import { reportPrior, type EditionReference } from './compare-editions.js';
import { reference } from './revision-diffs.js';
import { listEditions } from './series.js';
import type { QueryDependencies } from './views.js';

export interface DraftComparisonRequest {
  /** The series the draft belongs to, and the published edition to hold it against. */
  series: string;
  edition: number;
  /** The draft as saved (HTML), with the URL it claims or was found at, and a profile to read it with. */
  draft: { html: string; url?: string; profile?: string };
  /** The draft's side of the diff: after the published edition (default), or before it. */
  draftSide?: 'before' | 'after';
}

export interface DraftComparison {
  series: string;
  published: EditionReference;
  /** The draft's own title, URL and edition (as extracted). */
  draft: { title: string; url: string; edition?: number };
  draftSide: 'before' | 'after';
  diff: RevisionDiff;
  /** Set when the report's edition map served as a prior (the draft names another edition than the published one). */
  editionMap?: { report: string; series: number };
}

/**
 * A draft (a leaked or released copy, saved as HTML) against a published edition of its series, with the alignment
 * `compare` uses: the latest revision of the edition's page, and when the draft is of another edition, the edition
 * map of the other series as a prior. NotFoundError for an unknown series or an edition never captured.
 */
export async function compareDraft(dependencies: QueryDependencies, request: DraftComparisonRequest): Promise<DraftComparison> {
  const { series, edition } = request;
  const editions = await listEditions(dependencies, series);
  const entry = editions.find((candidate) => candidate.edition === edition);
  if (!entry) throw new NotFoundError(`No edition ${edition} of series ${series} (editions: ${editions.map((one) => one.edition).join(', ')})`);
  const revision = await dependencies.revisions.latestRevision(entry.page);
  if (!revision) throw new NotFoundError(`Edition ${edition} of series ${series} (page ${entry.page}) has not been captured yet`);
  const published = await dependencies.snapshots.getDocument(revision.documentKey);
  // A draft is read as its report is (a copy saved without its URL would otherwise fall to the generic profile).
  const draft = extract(request.draft.html, {
    ...(request.draft.url ? { url: request.draft.url } : {}),
    profile: request.draft.profile ?? published.profile,
  });
  if (draft.sections.length === 0) throw new ValidationError('The draft has no sections: is it a saved report page?');
  const lineage = editions[0]!.series;
  const draftSide = request.draftSide ?? 'after';
  const [previous, next] = draftSide === 'after' ? [published, draft] : [draft, published];
  const draftEdition = draft.edition;
  const [from, to] = draftSide === 'after' ? [edition, draftEdition] : [draftEdition, edition];
  const prior = from !== undefined && to !== undefined ? await reportPrior(dependencies, lineage, from, to) : undefined;
  const diff = diffDocuments(previous, next, prior ? { alignment: { prior: prior.prior } } : {});
  const described: DraftComparison['draft'] = { title: draft.title, url: draft.canonicalUrl || draft.url };
  if (draftEdition !== undefined) described.edition = draftEdition;
  return {
    series: lineage,
    published: { ...reference(revision), edition, page: entry.page },
    draft: described,
    draftSide,
    diff,
    ...(prior ? { editionMap: prior.described } : {}),
  };
}
