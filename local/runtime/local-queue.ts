import { createHash, randomUUID } from 'node:crypto';
import type { SQSRecord } from 'aws-lambda';

/**
 * An in-process queue with the delivery semantics of SQS that redline relies on: at-least-once delivery, a
 * visibility timeout, a receive count per message, and a move to the dead-letter queue once a message has been
 * received `maxReceiveCount` times without being deleted. An event source mapping (QueueEventSource) polls it and
 * invokes a handler with batches, deleting what succeeded and leaving partial-batch failures to reappear after the
 * visibility timeout, as Lambda's SQS integration does.
 */
export interface QueueMessage<T> {
  messageId: string;
  payload: T;
  /** Wall-clock ms (the runtime's clock) when it was sent: SentTimestamp. */
  sentTimestamp: number;
  receiveCount: number;
  firstReceiveTimestamp?: number;
}

export interface ReceivedMessage<T> extends QueueMessage<T> {
  receiptHandle: string;
}

export interface DeadLetter<T> extends QueueMessage<T> {
  /** Where it came from. */
  sourceQueue: string;
}

/**
 * The time that visibility timeouts and redelivery delays run on. `RealTimeline` is the monotonic clock of the
 * process (a long-running `redline serve`). `LogicalTimeline` is the injected clock of a run that must not depend on
 * the machine's speed: its time stands still while any handler works and jumps to the next due timer once nothing
 * runs, so a slow or busy machine cannot make a message reappear while its first delivery is still in flight.
 */
export interface QueueTimeline {
  now(): number;
  /** Calls `fire` once `ms` have passed on this timeline; returns a cancel function. */
  setTimer(ms: number, fire: () => void): () => void;
  /** Work may have finished: a logical timeline checks whether it may move on. */
  poke(): void;
}

export class RealTimeline implements QueueTimeline {
  now(): number {
    return performance.now();
  }

  setTimer(ms: number, fire: () => void): () => void {
    const timer = setTimeout(fire, Math.ceil(ms) + 1);
    return () => clearTimeout(timer);
  }

  poke(): void {}
}

export class LogicalTimeline implements QueueTimeline {
  private nowMs = 0;
  private readonly timers = new Set<{ at: number; fire: () => void }>();
  private pending = false;
  private quiescent: () => boolean = () => true;

  now(): number {
    return this.nowMs;
  }

  setTimer(ms: number, fire: () => void): () => void {
    const timer = { at: this.nowMs + Math.max(0, ms), fire };
    this.timers.add(timer);
    this.poke();
    return () => this.timers.delete(timer);
  }

  /** What "nothing runs" means: the runtime's event sources and streams are all at rest. */
  whenQuiescent(predicate: () => boolean): void {
    this.quiescent = predicate;
  }

  poke(): void {
    if (this.pending) return;
    this.pending = true;
    // After the microtasks (scheduled pumps) and I/O callbacks of this turn have run.
    setImmediate(() => {
      this.pending = false;
      if (this.timers.size > 0 && this.quiescent()) this.advance();
    });
  }

  /** Moves time to the earliest timer and fires every timer due then; false when none is waiting. */
  advance(): boolean {
    if (this.timers.size === 0) return false;
    const at = Math.min(...[...this.timers].map((timer) => timer.at));
    this.nowMs = Math.max(this.nowMs, at);
    const due = [...this.timers].filter((timer) => timer.at <= this.nowMs);
    for (const timer of due) this.timers.delete(timer);
    for (const timer of due) timer.fire();
    return true;
  }

  get waiting(): number {
    return this.timers.size;
  }
}

export interface LocalQueueOptions<T> {
  name: string;
  /** How long a received message stays invisible (default 30 s). */
  visibilityTimeoutMs?: number;
  /** Receives before the next receive moves the message to `deadLetterQueue` (default 5, as in infra). */
  maxReceiveCount?: number;
  deadLetterQueue?: LocalQueue<T>;
  /** Wall clock for SentTimestamp and the like (default Date.now). */
  clock?: () => number;
  /** What visibility timeouts and delays run on (default the process's monotonic clock). */
  timeline?: QueueTimeline;
  region?: string;
  accountId?: string;
}

interface StoredMessage<T> extends QueueMessage<T> {
  /** The timeline's time from which the message can be received. */
  visibleAt: number;
  receiptHandle?: string;
}

export class LocalQueue<T = string> {
  readonly name: string;
  readonly arn: string;
  readonly region: string;
  readonly visibilityTimeoutMs: number;
  readonly maxReceiveCount: number;
  readonly deadLetterQueue: LocalQueue<T> | undefined;
  /** Messages moved here from another queue, with where they came from. */
  readonly deadLetters: DeadLetter<T>[] = [];
  readonly timeline: QueueTimeline;
  private readonly messages: StoredMessage<T>[] = [];
  private readonly clock: () => number;
  private readonly listeners = new Set<() => void>();

  constructor(options: LocalQueueOptions<T>) {
    this.name = options.name;
    this.region = options.region ?? 'us-east-1';
    this.arn = `arn:aws:sqs:${this.region}:${options.accountId ?? '000000000000'}:${options.name}`;
    this.visibilityTimeoutMs = options.visibilityTimeoutMs ?? 30_000;
    this.maxReceiveCount = options.maxReceiveCount ?? 5;
    this.deadLetterQueue = options.deadLetterQueue;
    this.clock = options.clock ?? Date.now;
    this.timeline = options.timeline ?? new RealTimeline();
  }

  send(payloads: readonly T[], options: { delayMs?: number } = {}): QueueMessage<T>[] {
    const visibleAt = this.timeline.now() + (options.delayMs ?? 0);
    const sent = payloads.map((payload) => {
      const message: StoredMessage<T> = { messageId: randomUUID(), payload, sentTimestamp: this.clock(), receiveCount: 0, visibleAt };
      this.messages.push(message);
      return publicView(message);
    });
    this.changed();
    return sent;
  }

  /**
   * Up to `max` visible messages, oldest first, each made invisible for the visibility timeout. A message already
   * received maxReceiveCount times goes to the dead-letter queue instead (or is dropped without one, as SQS does
   * when retention ends).
   */
  receive(max: number): ReceivedMessage<T>[] {
    const now = this.timeline.now();
    const received: ReceivedMessage<T>[] = [];
    let moved = false;
    for (const message of [...this.messages]) {
      if (received.length >= max) break;
      if (message.visibleAt > now) continue;
      if (message.receiveCount >= this.maxReceiveCount) {
        this.remove(message);
        this.deadLetterQueue?.acceptDeadLetter(message, this.name);
        moved = true;
        continue;
      }
      message.receiveCount += 1;
      message.firstReceiveTimestamp ??= this.clock();
      message.receiptHandle = randomUUID();
      message.visibleAt = now + this.visibilityTimeoutMs;
      received.push({ ...publicView(message), receiptHandle: message.receiptHandle });
    }
    if (received.length > 0 || moved) this.changed();
    return received;
  }

  /** Deletes a received message; false when the handle is stale (the message was received again since). */
  delete(receiptHandle: string): boolean {
    const message = this.messages.find((candidate) => candidate.receiptHandle === receiptHandle);
    if (!message) return false;
    this.remove(message);
    this.changed();
    return true;
  }

  /** ChangeMessageVisibility: 0 makes the message visible again at once. */
  changeVisibility(receiptHandle: string, timeoutMs: number): boolean {
    const message = this.messages.find((candidate) => candidate.receiptHandle === receiptHandle);
    if (!message) return false;
    message.visibleAt = this.timeline.now() + timeoutMs;
    this.changed();
    return true;
  }

  /** Messages in the queue, visible or not. */
  get size(): number {
    return this.messages.length;
  }

  get visibleCount(): number {
    const now = this.timeline.now();
    return this.messages.filter((message) => message.visibleAt <= now).length;
  }

  /** Milliseconds until the next invisible message becomes visible, or undefined when none is waiting. */
  nextVisibleInMs(): number | undefined {
    const now = this.timeline.now();
    const waiting = this.messages.filter((message) => message.visibleAt > now).map((message) => message.visibleAt - now);
    return waiting.length === 0 ? undefined : Math.min(...waiting);
  }

  /** A snapshot of the messages (tests, the demo's summary). */
  peek(): QueueMessage<T>[] {
    return this.messages.map(publicView);
  }

  /** Calls `listener` whenever messages arrive, are received, deleted or dead-lettered. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Dead letters stay receivable here (for a redrive) and are listed in `deadLetters` with their source. */
  private acceptDeadLetter(message: QueueMessage<T>, sourceQueue: string): void {
    this.deadLetters.push({ ...publicView(message), sourceQueue });
    this.messages.push({ ...publicView(message), receiveCount: 0, visibleAt: this.timeline.now() });
    this.changed();
  }

  private remove(message: StoredMessage<T>): void {
    const index = this.messages.indexOf(message);
    if (index >= 0) this.messages.splice(index, 1);
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

function publicView<T>(message: QueueMessage<T>): QueueMessage<T> {
  return {
    messageId: message.messageId,
    payload: message.payload,
    sentTimestamp: message.sentTimestamp,
    receiveCount: message.receiveCount,
    ...(message.firstReceiveTimestamp !== undefined ? { firstReceiveTimestamp: message.firstReceiveTimestamp } : {}),
  };
}

/** The SQSRecord Lambda delivers for a message of `queue` (body as sent, attributes as SQS reports them). */
export function sqsRecord(queue: LocalQueue<string>, message: ReceivedMessage<string>): SQSRecord {
  return {
    messageId: message.messageId,
    receiptHandle: message.receiptHandle,
    body: message.payload,
    attributes: {
      ApproximateReceiveCount: String(message.receiveCount),
      SentTimestamp: String(message.sentTimestamp),
      SenderId: 'AROAEXAMPLE000000LOCAL:redline-local',
      ApproximateFirstReceiveTimestamp: String(message.firstReceiveTimestamp ?? message.sentTimestamp),
    },
    messageAttributes: {},
    md5OfBody: createHash('md5').update(message.payload).digest('hex'),
    eventSource: 'aws:sqs',
    eventSourceARN: queue.arn,
    awsRegion: queue.region,
  };
}

export interface InvocationReport<T> {
  source: string;
  messages: ReceivedMessage<T>[];
  /** Message ids that failed (partial batch response), or every id when the invocation threw. */
  failedMessageIds: string[];
  error?: unknown;
  durationMs: number;
}

export interface QueueEventSourceOptions<T, TEvent, TResult> {
  queue: LocalQueue<T>;
  batchSize?: number;
  /** Concurrent invocations at most (Lambda's maximum concurrency for the mapping). Default 2. */
  concurrency?: number;
  toEvent(messages: ReceivedMessage<T>[]): TEvent;
  invoke(event: TEvent): Promise<TResult>;
  /** Ids of the messages a result reports as failed (`batchItemFailures`), mapped back to message ids. */
  failedIds(result: TResult, messages: ReceivedMessage<T>[]): string[];
  onInvocation?(report: InvocationReport<T>): void;
}

/**
 * The event source mapping: polls the queue whenever it changes (and when an invisible message comes back), invokes
 * the handler with batches, deletes succeeded messages and leaves failed ones for redelivery.
 */
export class QueueEventSource<T, TEvent, TResult> {
  readonly batchSize: number;
  readonly concurrency: number;
  private running = false;
  private inFlight = 0;
  private pumpScheduled = false;
  private cancelTimer: (() => void) | undefined;
  private unsubscribe: (() => void) | undefined;
  private readonly waiters = new Set<() => void>();

  constructor(private readonly options: QueueEventSourceOptions<T, TEvent, TResult>) {
    this.batchSize = options.batchSize ?? 10;
    this.concurrency = options.concurrency ?? 2;
  }

  get queue(): LocalQueue<T> {
    return this.options.queue;
  }

  get isRunning(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.unsubscribe = this.options.queue.onChange(() => {
      this.schedulePump();
      this.wake();
    });
    this.schedulePump();
  }

  /** Stops polling and waits for the invocations in flight; messages stay in the queue. */
  async stop(): Promise<void> {
    this.running = false;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    while (this.inFlight > 0) await this.nextChange();
  }

  /** Nothing in the queue and nothing being processed. */
  isIdle(): boolean {
    return this.inFlight === 0 && this.options.queue.size === 0;
  }

  /** Nothing being processed and nothing receivable now: only messages waiting out a timeout, if any. */
  isQuiescent(): boolean {
    return this.inFlight === 0 && !this.pumpScheduled && (!this.running || this.options.queue.visibleCount === 0);
  }

  /** Resolves when the source is idle; messages waiting out a visibility timeout keep it busy. Needs start(). */
  async idle(): Promise<void> {
    while (!this.isIdle()) {
      if (!this.running) throw new Error(`The event source of ${this.options.queue.name} is stopped with messages left`);
      await this.nextChange();
    }
  }

  private nextChange(): Promise<void> {
    return new Promise<void>((resolve) => this.waiters.add(resolve));
  }

  private wake(): void {
    for (const resolve of [...this.waiters]) resolve();
    this.waiters.clear();
  }

  private schedulePump(): void {
    if (!this.running || this.pumpScheduled) return;
    this.pumpScheduled = true;
    queueMicrotask(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    if (!this.running) return;
    while (this.inFlight < this.concurrency) {
      const messages = this.options.queue.receive(this.batchSize);
      if (messages.length === 0) break;
      this.inFlight += 1;
      void this.process(messages).finally(() => {
        this.inFlight -= 1;
        this.schedulePump();
        this.wake();
        this.options.queue.timeline.poke();
      });
    }
    this.armTimer();
  }

  /** Wakes up when the earliest invisible message becomes visible again. */
  private armTimer(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    const wait = this.options.queue.nextVisibleInMs();
    if (wait === undefined || !this.running) return;
    this.cancelTimer = this.options.queue.timeline.setTimer(wait, () => {
      this.cancelTimer = undefined;
      this.pump();
    });
  }

  private async process(messages: ReceivedMessage<T>[]): Promise<void> {
    const started = performance.now();
    let failed: string[];
    let error: unknown;
    try {
      const result = await this.options.invoke(this.options.toEvent(messages));
      failed = this.options.failedIds(result, messages);
    } catch (thrown) {
      error = thrown;
      failed = messages.map((message) => message.messageId);
    }
    const failedSet = new Set(failed);
    // Failed messages stay invisible until their visibility timeout ends, then come back with a higher count.
    for (const message of messages) if (!failedSet.has(message.messageId)) this.options.queue.delete(message.receiptHandle);
    this.options.onInvocation?.({
      source: this.options.queue.name,
      messages,
      failedMessageIds: failed,
      ...(error !== undefined ? { error } : {}),
      durationMs: performance.now() - started,
    });
  }
}
