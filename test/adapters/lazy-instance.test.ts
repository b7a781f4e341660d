import { loadConfig } from '../../shared/config.js';
import { extract } from '../../shared/domain/extract.js';
import { S3SnapshotStore } from '../../shared/adapters/s3/s3-snapshot-store.js';
import { dynamoStores } from '../../shared/runtime/aws/dynamodb-stores.js';
import { s3Snapshots } from '../../shared/runtime/aws/s3-snapshots.js';
import { lazyInstance } from '../../shared/runtime/lazy-instance.js';
import { loadCorpusPage } from '../support/corpus.js';
import { startLocalAws, type LocalAws } from '../support/local-aws.js';

/**
 * The adapters the composition roots make on first use (shared/runtime/lazy-instance.ts, dynamoStores' subscription
 * store): nothing is made at cold start, and once made they behave as the adapter itself, here against dynalite and
 * s3rver with a real report page. The cold-start figures are the bench's business (`npm run bench -- bundles`).
 */
describe('lazyInstance', () => {
  class Counter {
    count = 0;
    increment(): number {
      return ++this.count;
    }
  }

  it('makes the instance on the first property read, once, with its methods bound to it', () => {
    let made = 0;
    const counter = lazyInstance(() => {
      made += 1;
      return new Counter();
    });
    expect(made).toBe(0);
    const { increment } = counter;
    expect(made).toBe(1);
    expect(increment()).toBe(1);
    expect(counter.increment()).toBe(2);
    expect(counter.count).toBe(2);
    expect('increment' in counter).toBe(true);
    expect(Object.getPrototypeOf(counter)).toBe(Counter.prototype);
    expect(made).toBe(1);
  });

  it('keeps no failed construction: the next read makes it again', () => {
    let attempts = 0;
    const counter = lazyInstance(() => {
      attempts += 1;
      if (attempts === 1) throw new Error('no client yet');
      return new Counter();
    });
    expect(() => counter.increment()).toThrow('no client yet');
    expect(counter.increment()).toBe(1);
    expect(attempts).toBe(2);
  });
});

describe('the stores made on first use, against dynalite and s3rver', () => {
  let aws: LocalAws;
  const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
  const document = extract(loadCorpusPage('kazakhstan', 2023), {
    url: 'https://www.state.gov/reports/2023-country-reports-on-human-rights-practices/kazakhstan/',
  });

  beforeAll(async () => {
    aws = await startLocalAws();
    // The functions' clients take their credentials from the environment (s3rver checks these).
    process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
    process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
  });

  afterAll(async () => {
    process.env.AWS_ACCESS_KEY_ID = saved.id;
    process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
    if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
    if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
    await aws?.close();
  });

  function config() {
    return loadConfig({
      REDLINE_TABLE: aws.tableName,
      REDLINE_BUCKET: aws.bucketName,
      REDLINE_DYNAMODB_ENDPOINT: aws.endpoints.dynamodb,
      REDLINE_S3_ENDPOINT: aws.endpoints.s3,
      AWS_REGION: aws.region,
    });
  }

  it("stores and reads a report page's Document through the lazy S3 snapshot store as through the store itself", async () => {
    const snapshots = lazyInstance(() => s3Snapshots(config()));
    const stored = await snapshots.putDocument('hrr.kazakhstan.2023', document);
    const direct = new S3SnapshotStore({ client: aws.s3, bucket: aws.bucketName });
    expect(stored.key).toBe((await direct.putDocument('hrr.kazakhstan.2023', document)).key);
    expect(await snapshots.getDocument(stored.key)).toEqual(await direct.getDocument(stored.key));
    expect(snapshots.documentHash(document)).toBe(direct.documentHash(document));
  });

  it('makes the subscription store on first read of `subscriptions` (a getter), once, and it works', async () => {
    const stores = dynamoStores(config());
    expect(typeof Object.getOwnPropertyDescriptor(stores, 'subscriptions')?.get).toBe('function');
    const { subscriptions } = stores;
    expect(stores.subscriptions).toBe(subscriptions);
    expect((await subscriptions.listSubscriptions()).items).toEqual([]);
  });
});
