import { createHash } from 'node:crypto';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  S3ServiceException,
  type S3Client,
} from '@aws-sdk/client-s3';

/**
 * An in-memory S3 bucket behind the S3Client interface, for the real S3SnapshotStore in the 1,000-run fault
 * property. It behaves as S3 and the local s3rver (local-aws-servers.ts) do where the store depends on it: a PUT with
 * `IfNoneMatch: '*'` on an existing key is refused with a 412 (the store's write-once PUT), any other PUT writes, a
 * missing key is a 404 S3ServiceException, and every PUT that writes emits one ObjectCreated notification. Each call
 * yields to the event loop a pseudo-random number of times first, so that racing deliveries interleave.
 */
export interface StoredObject {
  body: Uint8Array;
  contentType?: string;
  contentEncoding?: string;
  metadata?: Record<string, string>;
}

export interface MemoryS3Options {
  /** Called for every PUT, after the object is visible (as s3rver emits its event). */
  onPut?: (key: string, object: StoredObject) => void;
  yields?: () => number;
}

export class MemoryS3 {
  readonly objects = new Map<string, StoredObject>();
  puts = 0;

  constructor(private readonly options: MemoryS3Options = {}) {}

  /** The S3Client the store is given: only `send` is used. */
  get client(): S3Client {
    return { send: (command: unknown) => this.send(command) } as unknown as S3Client;
  }

  keys(prefix = ''): string[] {
    return [...this.objects.keys()].filter((key) => key.startsWith(prefix)).sort();
  }

  text(key: string): string | undefined {
    const object = this.objects.get(key);
    return object ? Buffer.from(object.body).toString('utf8') : undefined;
  }

  private async send(command: unknown): Promise<unknown> {
    const count = this.options.yields?.() ?? 0;
    for (let index = 0; index < count; index++) await Promise.resolve();
    const metadata = { httpStatusCode: 200 };
    if (command instanceof HeadObjectCommand) {
      const object = this.objects.get(command.input.Key!);
      if (!object) throw new NotFound({ $metadata: { httpStatusCode: 404 }, message: 'Not Found' });
      return { $metadata: metadata, ContentLength: object.body.length, ContentType: object.contentType };
    }
    if (command instanceof GetObjectCommand) {
      const object = this.objects.get(command.input.Key!);
      if (!object) throw new NoSuchKey({ $metadata: { httpStatusCode: 404 }, message: 'The specified key does not exist.' });
      const body = new Uint8Array(object.body);
      return {
        $metadata: metadata,
        ContentType: object.contentType,
        Body: { transformToByteArray: async () => body, transformToString: async () => Buffer.from(body).toString('utf8') },
      };
    }
    if (command instanceof PutObjectCommand) {
      const { Key, Body, ContentType, ContentEncoding, Metadata, IfNoneMatch } = command.input;
      if (IfNoneMatch === '*' && this.objects.has(Key!)) {
        throw new S3ServiceException({
          name: 'PreconditionFailed',
          $fault: 'client',
          $metadata: { httpStatusCode: 412 },
          message: 'At least one of the pre-conditions you specified did not hold',
        });
      }
      const body = typeof Body === 'string' ? Buffer.from(Body, 'utf8') : new Uint8Array(Body as Uint8Array);
      const object: StoredObject = {
        body,
        ...(ContentType ? { contentType: ContentType } : {}),
        ...(ContentEncoding ? { contentEncoding: ContentEncoding } : {}),
        ...(Metadata ? { metadata: { ...Metadata } } : {}),
      };
      this.objects.set(Key!, object);
      this.puts += 1;
      this.options.onPut?.(Key!, object);
      return { $metadata: metadata, ETag: `"${createHash('md5').update(body).digest('hex')}"` };
    }
    if (command instanceof DeleteObjectCommand) {
      this.objects.delete(command.input.Key!);
      return { $metadata: { httpStatusCode: 204 } };
    }
    if (command instanceof ListObjectsV2Command) {
      const keys = this.keys(command.input.Prefix ?? '');
      return { $metadata: metadata, Contents: keys.map((key) => ({ Key: key, Size: this.objects.get(key)!.body.length })), IsTruncated: false };
    }
    throw new Error(`MemoryS3 does not implement ${(command as object).constructor.name}`);
  }
}
