import { RedlineError } from '../errors.js';
import type { Notification } from '../domain/notification.js';

/** Where notifications go (SNS, webhooks, the console); what they carry is shared/domain/notification.ts. */
export interface Notifier {
  /** Names the target in logs and failure reports ("sns", "webhook:https://...", "console"). */
  readonly name: string;
  /** Resolves once delivered; rejects with NotificationDeliveryError (or a cause-keeping RedlineError) otherwise. */
  publish(notification: Notification): Promise<void>;
}

export interface DeliveryFailure {
  notifier: string;
  error: unknown;
}

/** A notification that could not be delivered to one or more targets. */
export class NotificationDeliveryError extends RedlineError {
  constructor(
    message: string,
    readonly details: { notificationId: string; httpStatus?: number; attempts?: number; failures?: DeliveryFailure[] },
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
