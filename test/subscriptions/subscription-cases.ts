import type { SubscriptionFilters } from '../../shared/domain/subscription-filter.js';
import { notificationIds, type Notification, type RevisionNotification } from '../../shared/domain/notification.js';
import type { RevisionSectionChange } from '../../shared/domain/revision-records.js';

/** A table of notifications and subscriptions with the matches worked out by hand from the model's rules. */
const change = (
  key: string,
  kind: RevisionSectionChange['kind'],
  significance: number,
  extra: Partial<RevisionSectionChange> = {},
): RevisionSectionChange => ({
  key,
  heading: key,
  kind,
  kinds: [kind],
  wordsAdded: 10,
  wordsRemoved: 2,
  significance,
  ...extra,
});

function revision(
  page: string,
  seq: number,
  where: { series?: string; edition?: number },
  significance: number,
  sections: RevisionSectionChange[],
  extra: Partial<RevisionNotification> = {},
): RevisionNotification {
  const trivial = extra.trivial ?? false;
  return {
    id: notificationIds.revision(page, seq),
    type: 'revision',
    page,
    url: `https://example.org/${page}`,
    ...where,
    title: `Report ${page}`,
    occurredAt: '2025-03-01T12:00:00.000Z',
    seq,
    previousSeq: seq - 1,
    summary: {
      added: 0,
      removed: 0,
      modified: sections.length,
      renamed: 0,
      moved: 0,
      unchanged: 10,
      wordsAdded: 10,
      wordsRemoved: 2,
      significance,
      trivial,
    },
    sections,
    significance,
    trivial,
    ...extra,
  };
}

const KZ = { series: 'hrr/kazakhstan', edition: 2024 };

export const notifications = {
  kzSection: revision(
    'hrr.kazakhstan.2024',
    2,
    KZ,
    0.3,
    [change('liberty/freedom-of-the-press', 'modified', 0.3), change('executive-summary', 'modified', 0.1)],
    {
      terms: ['torture'],
    },
  ),
  kzRenamed: revision('hrr.kazakhstan.2024', 3, KZ, 0.05, [
    change('liberty/trafficking-in-human-beings', 'renamed', 0.1, { previousKey: 'liberty/trafficking-in-persons' }),
  ]),
  kzTrivial: revision('hrr.kazakhstan.2024', 4, KZ, 0, [change('liberty', 'modified', 0, { trivial: 'punctuation' })], { trivial: true }),
  kzAdded: revision('hrr.kazakhstan.2023', 2, { series: 'hrr/kazakhstan', edition: 2023 }, 1, [change('annex', 'added', 1)]),
  nigeria: revision(
    'hrr.nigeria.2024',
    2,
    { series: 'hrr/nigeria', edition: 2024 },
    0.5,
    [change('security-of-the-person/torture', 'modified', 0.5)],
    {
      terms: ['torture', 'pretrial detention'],
    },
  ),
  generic: revision('example.org.0123456789ab', 5, {}, 0.2, [change('main', 'modified', 0.2)]),
  alert: {
    id: notificationIds.alert('hrr.kazakhstan.2024', '2025-03-02T00:00:00.000Z'),
    type: 'alert',
    page: 'hrr.kazakhstan.2024',
    url: 'https://example.org/hrr.kazakhstan.2024',
    ...KZ,
    occurredAt: '2025-03-02T00:00:00.000Z',
    kind: 'http-status',
    message: 'HTTP 503 three times',
    httpStatus: 503,
    consecutiveFailures: 3,
  },
  newEdition: {
    id: notificationIds.newEdition('hrr/kazakhstan', 2025),
    type: 'new-edition',
    page: 'hrr.kazakhstan.2025',
    url: 'https://example.org/hrr.kazakhstan.2025',
    series: 'hrr/kazakhstan',
    edition: 2025,
    occurredAt: '2025-03-03T00:00:00.000Z',
    previousEdition: 2024,
    previousPage: 'hrr.kazakhstan.2024',
  },
} satisfies Record<string, Notification>;

export type NotificationName = keyof typeof notifications;

export interface SubscriptionCase {
  filters: SubscriptionFilters;
  expected: NotificationName[];
  /** Filters on String.Array attributes (sections, kinds, terms), which fauxqs 2.4.1 does not match per element. */
  usesArrays: boolean;
}

const ALL = Object.keys(notifications) as NotificationName[];

export const subscriptions: Record<string, SubscriptionCase> = {
  everything: { filters: { includeTrivial: true }, expected: ALL, usesArrays: false },
  nonTrivial: { filters: {}, expected: ALL.filter((name) => name !== 'kzTrivial'), usesArrays: false },
  kazakhstan: { filters: { series: ['hrr/kazakhstan'] }, expected: ['kzSection', 'kzRenamed', 'kzAdded', 'alert', 'newEdition'], usesArrays: false },
  onePageWithTrivial: {
    filters: { pages: ['hrr.kazakhstan.2024'], includeTrivial: true },
    expected: ['kzSection', 'kzRenamed', 'kzTrivial', 'alert'],
    usesArrays: false,
  },
  editions: { filters: { editions: [2023, 2025] }, expected: ['kzAdded', 'newEdition'], usesArrays: false },
  significant: { filters: { minSignificance: 0.25 }, expected: ['kzSection', 'kzAdded', 'nigeria', 'newEdition'], usesArrays: false },
  edition2024AnySignificance: {
    filters: { editions: [2024], minSignificance: 0 },
    expected: ['kzSection', 'kzRenamed', 'nigeria'],
    usesArrays: false,
  },
  kazakhstanAllRevisions: {
    filters: { series: ['hrr/kazakhstan'], includeTrivial: true, minSignificance: 0 },
    expected: ['kzSection', 'kzRenamed', 'kzTrivial', 'kzAdded', 'newEdition'],
    usesArrays: false,
  },
  libertySubsections: { filters: { sectionPrefixes: ['liberty/'] }, expected: ['kzSection', 'kzRenamed'], usesArrays: true },
  oldKeyOfRenamedSection: { filters: { sectionPrefixes: ['liberty/trafficking-in-persons'] }, expected: ['kzRenamed'], usesArrays: true },
  structuralKinds: { filters: { kinds: ['added', 'renamed'] }, expected: ['kzRenamed', 'kzAdded'], usesArrays: true },
  torture: { filters: { terms: ['torture'] }, expected: ['kzSection', 'nigeria'], usesArrays: true },
  detentionInNigeriaOrKazakhstan: {
    filters: { series: ['hrr/kazakhstan', 'hrr/nigeria'], terms: ['pretrial detention', 'torture'], kinds: ['modified'], minSignificance: 0.4 },
    expected: ['nigeria'],
    usesArrays: true,
  },
};
