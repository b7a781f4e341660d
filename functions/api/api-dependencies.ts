import type { EditionReportJobSettings } from '../../shared/use-cases/queries/edition-report-jobs.js';
import type { ReportJobQueue } from '../../shared/ports/report-job-queue.js';
import type { SubscriptionGateway } from '../../shared/ports/subscription-gateway.js';
import type { SubscriptionStore } from '../../shared/ports/subscription-store.js';
import type { TrackerDependencies } from '../../shared/use-cases/tracker-dependencies.js';

export interface ApiSettings {
  /** Bearer token accepted on write routes when no IAM authorizer is in front (REDLINE_API_TOKEN; the local server). */
  token?: string;
  /** True where the gateway authorizes the write routes with IAM (in AWS); the UI then says so. */
  iam?: boolean;
  /**
   * Public base URL for links in feeds (REDLINE_API_BASE_URL); by default the domain API Gateway received the request
   * on (`requestContext.domainName`, never the Host header).
   */
  baseUrl?: string;
  /** Prefix of the Atom feeds' permanent ids (REDLINE_FEED_ID_PREFIX); default `urn:redline:feed`. */
  feedIdPrefix?: string;
  /** Policy for URLs that users submit (watches, webhooks). Default: assertPublicUrl, the SSRF guard. */
  assertPublicUrl?: (url: string) => URL;
  /** When an uncached edition report goes to the job queue instead (DEFAULT_REPORT_JOB_SETTINGS by default). */
  reportJobs?: EditionReportJobSettings;
}

export const DEFAULT_FEED_ID_PREFIX = 'urn:redline:feed';

/** What the API function needs: the stores, the clock and tracker settings (for addWatch), subscriptions. */
export interface ApiDependencies extends Pick<TrackerDependencies, 'revisions' | 'snapshots' | 'now' | 'settings'> {
  subscriptions: SubscriptionStore;
  subscriptionGateway: SubscriptionGateway;
  api: ApiSettings;
  /** The edition report job queue; without it every report is computed in the request. */
  reportJobs?: ReportJobQueue;
}
