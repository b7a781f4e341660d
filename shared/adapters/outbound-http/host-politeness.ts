import pLimit, { type LimitFunction } from 'p-limit';
import { setTimeout as sleep } from 'node:timers/promises';

export interface HostPolitenessOptions {
  /** Requests in flight to one host at a time. */
  concurrency: number;
  /** Minimum gap between the starts of two requests to one host. */
  delayMs: number;
  /** Monotonic milliseconds; default performance.now. */
  clock?: () => number;
}

interface HostSlot {
  limit: LimitFunction;
  /** The earliest time the next request to this host may start (a reservation, taken before sleeping). */
  nextStartAt: number;
}

/**
 * Per-host politeness inside one process: a p-limit queue per host plus a start-time reservation, so requests to a
 * host are at most `concurrency` at a time and at least `delayMs` apart. Across Lambdas, the SQS fan-out sets the pace.
 */
export class HostPoliteness {
  private readonly slots = new Map<string, HostSlot>();
  private readonly clock: () => number;

  constructor(private readonly options: HostPolitenessOptions) {
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1) {
      throw new RangeError(`perHostConcurrency must be a positive integer, got ${options.concurrency}`);
    }
    this.clock = options.clock ?? (() => performance.now());
  }

  run<T>(host: string, task: () => Promise<T>): Promise<T> {
    const key = host.toLowerCase();
    let slot = this.slots.get(key);
    if (slot === undefined) {
      slot = { limit: pLimit(this.options.concurrency), nextStartAt: 0 };
      this.slots.set(key, slot);
    }
    const current = slot;
    return current
      .limit(async () => {
        const now = this.clock();
        const startAt = Math.max(now, current.nextStartAt);
        current.nextStartAt = startAt + this.options.delayMs;
        if (startAt > now) await sleep(startAt - now);
        return task();
      })
      .finally(() => this.forgetIfIdle(key, current));
  }

  private forgetIfIdle(key: string, slot: HostSlot): void {
    if (slot.limit.activeCount === 0 && slot.limit.pendingCount === 0 && this.clock() >= slot.nextStartAt) {
      this.slots.delete(key);
    }
  }
}
