import type { OutputStream } from './cli-io.js';

/**
 * One progress line redrawn in place (`\r`, erase line), at most every `intervalMs`. Drawn only on a terminal and
 * never with --json, so piped and machine-read output stays clean. `clear()` before printing anything else.
 */
export interface ProgressLine {
  readonly enabled: boolean;
  update(text: string | (() => string)): void;
  /** Draws the latest text now, even inside the interval. */
  flush(): void;
  /** Erases the line (call before other output, and at the end). */
  clear(): void;
}

export function progressLine(stream: OutputStream, options: { enabled: boolean; intervalMs?: number; now?: () => number }): ProgressLine {
  const enabled = options.enabled && stream.isTTY === true;
  const intervalMs = options.intervalMs ?? 100;
  const now = options.now ?? (() => performance.now());
  let lastDrawn = Number.NEGATIVE_INFINITY;
  let latest: string | (() => string) | undefined;
  let visible = false;

  const draw = () => {
    if (latest === undefined) return;
    const text = typeof latest === 'function' ? latest() : latest;
    const width = Math.max(20, (stream.columns ?? 80) - 1);
    stream.write(`\r\x1b[2K${text.length > width ? `${text.slice(0, width - 1)}…` : text}`);
    visible = true;
    lastDrawn = now();
  };

  return {
    enabled,
    update(text) {
      if (!enabled) return;
      latest = text;
      if (now() - lastDrawn >= intervalMs) draw();
    },
    flush() {
      if (enabled) draw();
    },
    clear() {
      if (!enabled || !visible) return;
      stream.write('\r\x1b[2K');
      visible = false;
    },
  };
}

/** `[#######-------]  47%` */
export function bar(done: number, total: number, width = 20): string {
  const fraction = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
  const filled = Math.round(fraction * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.floor(fraction * 100)).padStart(3)}%`;
}

export function megabytes(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

/** Items per second over `elapsedMs`, one decimal. */
export function rate(count: number, elapsedMs: number): string {
  return elapsedMs > 0 ? (count / (elapsedMs / 1000)).toFixed(1) : '0.0';
}
