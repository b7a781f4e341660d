import { sectionAcrossEditions, type SectionLineageHistory } from '../../domain/provenance/section-lineage.js';
import { NotFoundError } from '../../errors.js';
import { syncProvenance, type ProvenanceDependencies } from './provenance-sync.js';

/**
 * A section of a series followed across all its editions, through renames and moves (the provenance index's section
 * lineage), read like the other provenance reads: the index caught up in memory, never written.
 */
export async function sectionLineage(
  dependencies: ProvenanceDependencies,
  request: { series: string; key: string; edition?: number },
): Promise<SectionLineageHistory & { series: string }> {
  const state = await syncProvenance(dependencies, { kind: 'series', series: request.series }, { persist: false });
  const editions = state.index.editions();
  const edition = request.edition ?? editions.at(-1);
  if (edition === undefined || !editions.includes(edition))
    throw new NotFoundError(`No captured edition ${request.edition ?? ''} of series ${request.series}`.replace('  ', ' '));
  const history = sectionAcrossEditions(state.index, edition, request.key);
  if (!history) throw new NotFoundError(`No section ${request.key} with text in the ${edition} edition of ${request.series}`);
  return { series: state.scope.kind === 'series' ? state.scope.series : request.series, ...history };
}
