import type { RemovedSentence } from '../../../shared/domain/provenance/removal-ledger.js';
import { removedSentences } from '../../../shared/use-cases/provenance/provenance-queries.js';
import type { ProvenanceDependencies } from '../../../shared/use-cases/provenance/provenance-sync.js';
import type { Observability } from '../../../shared/observability.js';
import type { DiffLedger } from './diff-view.js';
import type { UiLinks } from './ui-links.js';

/**
 * The removal ledger of the pair a diff shows (two editions of a series, or two revisions of a page), for the diff's
 * summary and its per-section lists: so the counts a reader sees in a comparison are the ledger's counts. The
 * ledger is derived data: when it cannot be computed, the diff is shown without it (and says less).
 */
export type DiffPair = { series: string; from: number; to: number } | { page: string; from: number; to: number };

export async function diffLedger(
  dependencies: ProvenanceDependencies,
  links: UiLinks,
  pair: DiffPair,
  observability?: Observability,
): Promise<DiffLedger | undefined> {
  let ledger;
  try {
    ledger = await removedSentences(dependencies, { ...pair, fates: ['removed', 'reworded', 'moved'] });
  } catch (error) {
    observability?.logger.warn('removal ledger unavailable for a diff', { error: (error as Error).message });
    return undefined;
  }
  const transition = ledger.transitions[0];
  if (!transition) return undefined;
  const bySectionKey = new Map<string, RemovedSentence[]>();
  for (const item of ledger.sentences) {
    if (item.fate === 'moved') continue;
    const list = bySectionKey.get(item.section.key);
    if (list) list.push(item);
    else bySectionKey.set(item.section.key, [item]);
  }
  const [href, movedHref] =
    'series' in pair
      ? [links.removed(pair.series, { from: pair.from, to: pair.to }), links.removed(pair.series, { from: pair.from, to: pair.to, moved: true })]
      : [
          links.api(`/pages/${encodeURIComponent(pair.page)}/removed?from=${pair.from}&to=${pair.to}&format=csv`),
          links.api(`/pages/${encodeURIComponent(pair.page)}/removed?from=${pair.from}&to=${pair.to}&fate=moved&format=csv`),
        ];
  return { removed: transition.removed, reworded: transition.reworded, moved: transition.moved, href, movedHref, bySectionKey };
}
