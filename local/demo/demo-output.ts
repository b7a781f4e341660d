import type { RevisionDiff, SectionChange } from '../../shared/domain/revision-diff.js';
import type { Notification } from '../../shared/domain/notification.js';
import type { RevisionRecord, RevisionSectionChange } from '../../shared/domain/revision-records.js';
import type { CaptureOutcome } from '../../shared/use-cases/capture-page.js';

/** Plain-text lines of the demo's progress output (no colours: the output is often piped or pasted). */

const TAG_WIDTH = 10;

export function line(tag: string, text: string, indent = 2): string {
  return `${' '.repeat(indent)}${tag.padEnd(TAG_WIDTH)}${text}`;
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

export function shortHash(key: string): string {
  const match = /([0-9a-f]{64})/.exec(key);
  return match ? `${match[1]!.slice(0, 12)}…` : key;
}

export function describeCapture(outcome: CaptureOutcome): { tag: string; text: string } {
  switch (outcome.outcome) {
    case 'captured':
      return {
        tag: 'captured',
        text: `${outcome.page}  ${outcome.created ? 'new document' : 'known document, recorded again'} ${shortHash(outcome.documentKey)}`,
      };
    case 'unchanged':
      return { tag: 'unchanged', text: `${outcome.page}  page bytes differ, report text identical: no revision` };
    case 'not-modified':
      return { tag: 'unchanged', text: `${outcome.page}  304 Not Modified (conditional GET)` };
    case 'failed':
      return {
        tag: 'FAILED',
        text:
          `${outcome.page}  ${outcome.kind}${outcome.httpStatus !== undefined ? ` (HTTP ${outcome.httpStatus})` : ''}: ${truncate(outcome.message, 90)}` +
          ` [${outcome.consecutiveFailures} in a row${outcome.alerted ? ', alert raised' : ''}; next try ${outcome.nextDueAt}]`,
      };
    case 'skipped':
      return { tag: outcome.reason.startsWith('probe') ? 'probe' : 'skipped', text: `${outcome.page}  ${probeReason(outcome.reason)}` };
  }
}

function probeReason(reason: string): string {
  const status = /HTTP (\d{3})/.exec(reason);
  if (reason.startsWith('probe found nothing') && status) return `no such edition yet (HTTP ${status[1]})`;
  return reason;
}

export function describeRevision(revision: RevisionRecord): string {
  if (revision.summary === null) {
    return `${revision.page} #${revision.seq}  baseline: "${truncate(revision.title, 70)}"`;
  }
  const summary = revision.summary;
  const kinds = (['added', 'removed', 'modified', 'renamed', 'moved'] as const)
    .filter((kind) => summary[kind] > 0)
    .map((kind) => `${summary[kind]} ${kind}`)
    .join(', ');
  return (
    `${revision.page} #${revision.seq} (from #${revision.previousSeq ?? revision.seq - 1})  ${kinds}, ` +
    `+${summary.wordsAdded}/-${summary.wordsRemoved} words, significance ${revision.significance.toFixed(4)}${summary.trivial ? ', trivial' : ''}`
  );
}

/** One line per changed section: number and heading (from the full diff when it was read), kind, words, triviality. */
export function describeSections(sections: readonly RevisionSectionChange[], diff?: RevisionDiff): string[] {
  const full = new Map<string, SectionChange>((diff?.sections ?? []).map((section) => [section.key, section]));
  return sections.map((section) => {
    const number = full.get(section.key)?.number;
    const previousHeading = full.get(section.key)?.previousHeading;
    const heading = `${number ? `${number} ` : ''}${truncate(section.heading, 58)}`;
    const kinds = section.kinds.join('+');
    const words = `+${section.wordsAdded} -${section.wordsRemoved}`;
    const trivial = section.trivial ? `  trivial (${section.trivial})` : '';
    const renamed = section.kinds.includes('renamed') && previousHeading ? `  (was "${truncate(previousHeading, 50)}")` : '';
    return `${heading.padEnd(62)} ${kinds.padEnd(9)} ${words.padEnd(9)}${trivial}${renamed}`;
  });
}

export function describeNotification(notification: Notification): string {
  switch (notification.type) {
    case 'revision':
      return `${notification.id}  revision of ${notification.page}, ${notification.sections.length} section(s)${notification.trivial ? ', trivial' : ''}`;
    case 'alert':
      return `${notification.id}  alert: ${notification.page} failing (${notification.kind}, ${notification.consecutiveFailures} in a row)`;
    case 'new-edition':
      return `${notification.id}  new edition ${notification.edition} of ${notification.series}${notification.previousEdition !== undefined ? ` (after ${notification.previousEdition})` : ''}`;
  }
}

export function truncate(text: string, max: number): string {
  const single = text.replace(/\s+/g, ' ').trim();
  return single.length > max ? `${single.slice(0, max - 1)}…` : single;
}
