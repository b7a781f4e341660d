// Minimal typings for the two in-process servers, which ship none.

declare module 'dynalite' {
  import type { Server } from 'node:http';
  interface DynaliteOptions {
    /** LevelDB folder; in memory when absent. */
    path?: string;
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
    maxItemSizeKb?: number;
    verbose?: boolean;
    debug?: boolean;
  }
  export default function dynalite(options?: DynaliteOptions): Server;
}

declare module 's3rver' {
  import type { AddressInfo } from 'node:net';
  import type { Server } from 'node:http';
  interface S3rverOptions {
    address?: string;
    port?: number;
    silent?: boolean;
    directory?: string;
    resetOnClose?: boolean;
    allowMismatchedSignatures?: boolean;
    vhostBuckets?: boolean;
    configureBuckets?: Array<{ name: string; configs?: Array<string | Buffer> }>;
  }
  export default class S3rver {
    constructor(options?: S3rverOptions);
    run(): Promise<AddressInfo>;
    close(): Promise<void>;
    reset(): void;
    httpServer?: Server;
    /** Its FilesystemStore (guarded by s3rver-store-guard.ts). */
    store: unknown;
    /** Koa's middleware list (s3rver is a Koa app), composed when run() listens. */
    middleware: Array<(...args: never[]) => unknown>;
    /** The winston logger s3rver logs to (silent when constructed so). */
    logger: { info(...args: unknown[]): unknown };
    on(event: 'event', listener: (event: unknown) => void): this;
    off(event: 'event', listener: (event: unknown) => void): this;
  }
}
