import { ValidationError } from '../shared/errors.js';

/**
 * What a command touches outside itself: its output streams, the environment and a stop signal. `main` passes the
 * process's; tests pass buffers, so commands run in process and their output can be read back.
 */
export interface OutputStream {
  write(text: string): unknown;
  /** True for a terminal: progress lines are drawn only there. */
  isTTY?: boolean;
  columns?: number;
}

export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  env: NodeJS.ProcessEnv;
  /** Standard input, for options that read it (`--secret-file -`); default: the process's. */
  stdin?: AsyncIterable<unknown>;
  /** Ends long-running commands (`serve`); main wires SIGINT/SIGTERM to it. */
  signal?: AbortSignal;
  /** Set by a command that stops cleanly on `signal`; main ends any other command on a signal at once. */
  stoppable?: boolean;
  /** The exit code a command asks for (0 unless set). */
  exitCode: number;
  /** Waits (following a 202 from the API); default a timer. Tests inject their own clock. */
  sleep?: (ms: number) => Promise<void>;
}

export function processIo(signal?: AbortSignal): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, exitCode: 0, ...(signal ? { signal } : {}) };
}

/** Exit codes: 0 ok, 1 differences found or work failed, 2 bad usage or input (unknown page, bad option...). */
export const EXIT_OK = 0;
export const EXIT_DIFFERENCES_OR_FAILURE = 1;
export const EXIT_USAGE = 2;

/** A command used in a way it cannot be (a store-only command with --api, two exclusive options...): exit 2. */
export class UsageError extends ValidationError {}

/** An output stream that keeps what is written (tests, and commands that render before they print). */
export class BufferedOutput implements OutputStream {
  readonly chunks: string[] = [];
  constructor(
    readonly isTTY = false,
    readonly columns = 120,
  ) {}

  write(text: string): boolean {
    this.chunks.push(text);
    return true;
  }

  get text(): string {
    return this.chunks.join('');
  }
}
