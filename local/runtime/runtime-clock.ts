/**
 * The local runtime's notion of "now": real time plus an offset that the demo and the tests move forward, so a
 * day of schedule (check intervals, backoff after failures) passes in a moment. Queue visibility timeouts run on the
 * runtime's LogicalTimeline (local-queue.ts); HTTP timeouts stay on real time.
 */
export class RuntimeClock {
  private offsetMs: number;

  constructor(options: { start?: Date } = {}) {
    this.offsetMs = options.start ? options.start.getTime() - Date.now() : 0;
  }

  readonly now = (): Date => new Date(Date.now() + this.offsetMs);

  readonly nowMs = (): number => Date.now() + this.offsetMs;

  advanceMinutes(minutes: number): Date {
    this.offsetMs += minutes * 60_000;
    return this.now();
  }

  set(at: Date): void {
    this.offsetMs = at.getTime() - Date.now();
  }
}
