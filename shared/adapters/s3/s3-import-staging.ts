import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3ServiceException, type S3Client } from '@aws-sdk/client-s3';
import type { Document } from '../../domain/document.js';
import { NotFoundError, RedlineError, ValidationError } from '../../errors.js';
import type { ImportOutcome, ImportStaging } from '../../ports/import-queue.js';
import { assertPageId, PAGE_ID_PATTERN } from '../../ports/page-id.js';
import { canonicalJson, sha256Hex } from './canonical-json.js';

/**
 * The bucket's imports/ prefix: a cloud backfill's staged Documents and the import consumer's outcomes. No event
 * rule reads it (the docs/ rule feeds the diff queue, which would record at upload time); a lifecycle rule expires
 * it (infra/constructs/snapshot-bucket.ts), since what it holds is recorded under docs/ and in the table.
 */
export const importKeys = {
  document: (page: string, sha256: string) => `imports/${assertPageId(page)}/${assertHash(sha256)}.json`,
  outcome: (page: string, sha256: string) => `imports/${assertPageId(page)}/${assertHash(sha256)}.outcome.json`,
};

const STAGED_KEY = /^imports\/([^/]+)\/([0-9a-f]{64})\.json$/;

/** imports/<page>/<sha256>.json -> its page and hash, or undefined for any other key. */
export function parseStagedKey(key: string): { page: string; sha256: string } | undefined {
  const match = STAGED_KEY.exec(key);
  return match && PAGE_ID_PATTERN.test(match[1]!) ? { page: match[1]!, sha256: match[2]! } : undefined;
}

export class S3ImportStaging implements ImportStaging {
  constructor(private readonly options: { client: S3Client; bucket: string }) {}

  async putDocument(page: string, document: Document): Promise<{ key: string; sha256: string }> {
    const json = canonicalJson(document);
    const sha256 = sha256Hex(json);
    const key = importKeys.document(page, sha256);
    // Overwritten with the same bytes by a resumed import: a PUT replaces the whole object, so none is left half-written.
    await this.put(key, json);
    return { key, sha256 };
  }

  async getDocument(key: string): Promise<Document> {
    const parsed = parseStagedKey(key);
    if (!parsed) throw new ValidationError(`Not a staged import key: ${key}`);
    const json = await this.get(key);
    if (json === undefined) throw new NotFoundError(`No staged Document ${key}`);
    // The key is the hash: anything else is a damaged or foreign object, never recorded.
    if (sha256Hex(json) !== parsed.sha256) throw new RedlineError(`Staged Document ${key} does not match its hash`);
    return JSON.parse(json) as Document;
  }

  async putOutcome(outcome: ImportOutcome): Promise<void> {
    await this.put(importKeys.outcome(outcome.page, outcome.documentHash), JSON.stringify(outcome));
  }

  async getOutcome(page: string, documentHash: string): Promise<ImportOutcome | undefined> {
    const json = await this.get(importKeys.outcome(page, documentHash));
    if (json === undefined) return undefined;
    try {
      return JSON.parse(json) as ImportOutcome;
    } catch (error) {
      throw new RedlineError(`Import outcome of ${page} ${documentHash} is not valid JSON`, { cause: error });
    }
  }

  private async put(key: string, json: string): Promise<void> {
    await this.options.client.send(
      new PutObjectCommand({
        Bucket: this.options.bucket,
        Key: key,
        Body: Buffer.from(json, 'utf8'),
        ContentType: 'application/json; charset=utf-8',
      }),
    );
  }

  private async get(key: string): Promise<string | undefined> {
    try {
      const response = await this.options.client.send(new GetObjectCommand({ Bucket: this.options.bucket, Key: key }));
      if (!response.Body) throw new RedlineError(`Stored object ${key} has no body`);
      return await response.Body.transformToString('utf8');
    } catch (error) {
      if (error instanceof NoSuchKey || (error instanceof S3ServiceException && error.$metadata?.httpStatusCode === 404)) return undefined;
      throw error;
    }
  }
}

function assertHash(hash: string): string {
  if (typeof hash !== 'string' || !/^[0-9a-f]{64}$/.test(hash)) throw new ValidationError('Expected a hex sha256');
  return hash;
}
