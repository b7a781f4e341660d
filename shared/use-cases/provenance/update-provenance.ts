import type { Document } from '../../domain/document.js';
import {
  lineageScope,
  ScopeSerializer,
  scopeId,
  scopeOfPageRecord,
  syncLineageProvenance,
  type ProvenanceDependencies,
  type RecordedRevision,
} from './provenance-sync.js';

export interface ProvenanceUpdate {
  scope: string;
  /** Versions added to the index (0 when it was up to date already: a duplicate event, a retry). */
  added: number;
  /** The index generation now stored. */
  generation: number;
}

const serializer = new ScopeSerializer();

/**
 * The pipeline hook, run once a revision is durable: brings the provenance index of the page's scope up to date.
 * In the steady state that adds the one new version (its Document is read, or taken from `documents`); it also
 * picks up any version an earlier update missed. Idempotent, and safe to run late, twice or never: the index is
 * derived, and readers catch up on what it lacks. Undefined for a page that is no longer watched.
 *
 * Given the whole revision (the stream image), the sync lists only the revisions of the pages the stored index
 * cannot vouch for (provenance-sync.ts `unvouchedPages`); given only its page, every revision of the scope.
 */
export async function updateProvenanceAfterRevision(
  dependencies: ProvenanceDependencies,
  revision: { page: string } | RecordedRevision,
  documents?: ReadonlyMap<string, Document>,
): Promise<ProvenanceUpdate | undefined> {
  const record = await dependencies.revisions.getPage(revision.page);
  if (!record) return undefined;
  // The lineage's scope, so recordings of its several slugs are serialised on the one index.
  const scope = await lineageScope(dependencies, scopeOfPageRecord(record));
  const id = scopeId(scope);
  return serializer.run(dependencies.snapshots, id, async () => {
    const recorded = 'seq' in revision ? { recorded: revision } : {};
    const state = await syncLineageProvenance(dependencies, scope, { persist: true, ...recorded, ...(documents ? { documents } : {}) });
    return { scope: id, added: state.added, generation: state.written ?? state.generation };
  });
}
