import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import * as fsPromises from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable, Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * The file operations the guard uses: node's by default; a test passes one that fails with ENOSPC (docs/reliability.md).
 */
export interface StoreFiles {
  readFile(path: string): Promise<Buffer>;
  stat(path: string): Promise<{ size: number }>;
  writeFile(path: string, data: string | Uint8Array): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  rm(path: string, options: { force: boolean }): Promise<void>;
  mkdir(path: string, options: { recursive: true }): Promise<unknown>;
  createWriteStream(path: string): Writable;
}

export const nodeStoreFiles: StoreFiles = {
  readFile: (path) => fsPromises.readFile(path),
  stat: (path) => fsPromises.stat(path),
  writeFile: (path, data) => fsPromises.writeFile(path, data),
  rename: (from, to) => fsPromises.rename(from, to),
  rm: (path, options) => fsPromises.rm(path, options),
  mkdir: (path, options) => fsPromises.mkdir(path, options),
  createWriteStream: (path) => createWriteStream(path),
};

/** The parts of s3rver's FilesystemStore (node_modules/s3rver/lib/stores/filesystem.js) the guard replaces. */
interface FilesystemStore {
  getResourcePath(bucket: string, key: string, resource: string): string;
  getMetadata(bucket: string, key: string): Promise<Record<string, unknown>>;
  existsObject(bucket: string, key: string): Promise<boolean>;
  putObject(object: { bucket: string; key: string; content: Buffer | Readable; metadata: Record<string, string> }): Promise<{
    size: number;
    md5: string;
  }>;
}

/** The same fields s3rver keeps (S3Object.ALLOWED_METADATA plus x-amz-meta-*). */
const ALLOWED_METADATA = new Set([
  'cache-control',
  'content-disposition',
  'content-encoding',
  'content-language',
  'content-type',
  'expires',
  'x-amz-storage-class',
  'x-amz-website-redirect-location',
]);

let temporaryCounter = 0;

/** Kept in the metadata file by the guard; s3rver's S3Object drops fields it does not know, so clients never see it. */
const SIZE_FIELD = 'redline-object-size';

/**
 * Makes s3rver's store safe against a kill or a full disk in the middle of a PUT:
 * - an object is written to temporary files (body, .md5, metadata), then renamed into place, metadata first and
 *   the body last, so a body in place always has its metadata; a write error (ENOSPC) rejects the PUT (a 500)
 *   instead of going unhandled in s3rver's stream (a process crash), the temporary files are removed and
 *   `onWriteFailure` hears of it (import stops on a full disk);
 * - an object whose `_S3rver_metadata.json` is missing, empty or not JSON, or whose body is shorter than it was
 *   written (its recorded size, or for an object written before this guard its .md5), counts as missing: HEAD and
 *   GET say 404, so the next run writes it again, instead of "Unknown: UnknownError" forever.
 */
export function guardS3rverStore(store: unknown, options: { files?: StoreFiles; onWriteFailure?: (error: unknown) => void } = {}): void {
  const files = options.files ?? nodeStoreFiles;
  const target = store as FilesystemStore;
  const originalGetMetadata = target.getMetadata.bind(target);

  /** True when the object's body is complete: its metadata parses, and its size (or, in an older store, its MD5) matches. */
  const isComplete = async (bucket: string, key: string): Promise<boolean> => {
    const objectPath = target.getResourcePath(bucket, key, 'object');
    const metadataPath = target.getResourcePath(bucket, key, 'metadata.json');
    try {
      const parsed: unknown = JSON.parse((await files.readFile(metadataPath)).toString('utf8'));
      if (typeof parsed !== 'object' || parsed === null) return false;
      const recorded = (parsed as Record<string, unknown>)[SIZE_FIELD];
      if (typeof recorded === 'number') return recorded === (await files.stat(objectPath)).size;
      const body = await files.readFile(objectPath);
      // Written before this guard (s3rver wrote the body in place and did not wait for it): check the body's MD5.
      const md5 = (await files.readFile(`${objectPath}.md5`)).toString('utf8').trim();
      return md5 === createHash('md5').update(body).digest('hex');
    } catch (error) {
      if (error instanceof SyntaxError || (error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
  };

  target.getMetadata = async (bucket, key) => {
    if (!(await isComplete(bucket, key))) throw missing(bucket, key);
    const { [SIZE_FIELD]: _size, ...metadata } = await originalGetMetadata(bucket, key);
    return metadata;
  };

  const originalExists = target.existsObject.bind(target);
  target.existsObject = async (bucket, key) => (await originalExists(bucket, key)) && (await isComplete(bucket, key));

  target.putObject = async (object) => {
    const objectPath = target.getResourcePath(object.bucket, object.key, 'object');
    const metadataPath = target.getResourcePath(object.bucket, object.key, 'metadata.json');
    const md5Path = `${objectPath}.md5`;
    const suffix = `.tmp-${process.pid}-${++temporaryCounter}`;
    const temporary = [objectPath + suffix, md5Path + suffix, metadataPath + suffix];
    await files.mkdir(dirname(objectPath), { recursive: true });
    const md5Context = createHash('md5');
    let size = 0;
    try {
      const source = Buffer.isBuffer(object.content) ? Readable.from([object.content]) : object.content;
      const counter = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          md5Context.update(chunk);
          size += chunk.length;
          callback(null, chunk);
        },
      });
      await pipeline(source, counter, files.createWriteStream(temporary[0]!));
      const md5 = md5Context.digest('hex');
      const metadata = Object.fromEntries(
        Object.entries(object.metadata).filter(([name]) => ALLOWED_METADATA.has(name) || name.startsWith('x-amz-meta-')),
      );
      await files.writeFile(temporary[1]!, md5);
      await files.writeFile(temporary[2]!, JSON.stringify({ ...metadata, [SIZE_FIELD]: size }, null, 2));
      await files.rename(temporary[1]!, md5Path);
      await files.rename(temporary[2]!, metadataPath);
      await files.rename(temporary[0]!, objectPath);
      return { size, md5 };
    } catch (error) {
      await Promise.all(temporary.map((path) => files.rm(path, { force: true }).catch(() => undefined)));
      // A failed write(2) names no file (`ENOSPC: no space left on device, write`): name the object it was for.
      if (error && typeof error === 'object' && !(error as NodeJS.ErrnoException).path) (error as NodeJS.ErrnoException).path = objectPath;
      options.onWriteFailure?.(error);
      throw error;
    }
  };
}

function missing(bucket: string, key: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(`${bucket}/${key}: no complete object (its metadata is missing or empty)`);
  error.code = 'ENOENT';
  return error;
}
