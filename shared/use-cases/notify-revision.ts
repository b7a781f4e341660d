import { notificationIds, type Notification } from '../domain/notification.js';
import type { RevisionRecord } from '../domain/revision-records.js';
import { changedSubscribedTerms } from './subscriptions/subscribed-terms.js';
import type { TrackerDependencies } from './tracker-dependencies.js';

/** With snapshots and subscriptions, revision notifications carry the subscribed terms their changes touch. */
export type NotificationSources = Pick<TrackerDependencies, 'revisions'> & Partial<Pick<TrackerDependencies, 'snapshots' | 'subscriptions'>>;

/** What notifying needs: the sources above and where notifications go. */
export type NotifyDependencies = NotificationSources & Pick<TrackerDependencies, 'notifier'>;

/**
 * Turns a newly recorded revision into notifications:
 * - a revision notification for every revision after the baseline (seq 1 of a page has nothing to compare with);
 * - a new-edition notification when the baseline belongs to a page that a probe discovered.
 * Ids are stable (page#seq), so a stream retry publishes the same notification again and subscribers can drop it.
 */
export async function notifyRevision(dependencies: NotifyDependencies, revision: RevisionRecord): Promise<Notification[]> {
  const notifications = await notificationsFor(dependencies, revision);
  for (const notification of notifications) await dependencies.notifier.publish(notification);
  return notifications;
}

export async function notificationsFor(dependencies: NotificationSources, revision: RevisionRecord): Promise<Notification[]> {
  // Subscribers filter on the series they see: the page's lineage (a renamed slug notifies under the one name).
  const series = revision.series ? (await dependencies.revisions.resolveSeries(revision.series)).id : undefined;
  const common = {
    page: revision.page,
    url: revision.url,
    title: revision.title,
    ...(series ? { series } : {}),
    ...(revision.edition !== undefined ? { edition: revision.edition } : {}),
    occurredAt: revision.capturedAt,
  };
  if (revision.seq > 1 && revision.summary) {
    const terms = await changedSubscribedTerms(dependencies, revision);
    return [
      {
        ...common,
        type: 'revision',
        id: notificationIds.revision(revision.page, revision.seq),
        seq: revision.seq,
        ...(revision.previousSeq !== undefined ? { previousSeq: revision.previousSeq } : {}),
        summary: revision.summary,
        sections: revision.sections,
        ...(revision.sectionsTruncated ? { sectionsTruncated: true } : {}),
        significance: revision.significance,
        trivial: revision.summary.trivial,
        ...(revision.diffKey ? { diffKey: revision.diffKey } : {}),
        ...(terms.length > 0 ? { terms } : {}),
      },
    ];
  }
  if (revision.seq !== 1 || !series || revision.edition === undefined) return [];
  const page = await dependencies.revisions.getPage(revision.page);
  if (page?.origin !== 'probe') return [];
  const earlier = (await dependencies.revisions.listEditions(series)).filter(
    (entry) => entry.edition !== undefined && entry.edition < revision.edition!,
  );
  const previous = earlier[earlier.length - 1];
  return [
    {
      ...common,
      type: 'new-edition',
      id: notificationIds.newEdition(series, revision.edition),
      series,
      edition: revision.edition,
      ...(previous?.edition !== undefined ? { previousEdition: previous.edition, previousPage: previous.page } : {}),
    },
  ];
}
