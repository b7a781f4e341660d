import { objectCreatedEvent } from '../../../local/runtime/aws-event-shapes.js';
import { S3SnapshotStore } from '../../../shared/adapters/s3/s3-snapshot-store.js';
import type { Backend, EventSink, Ports } from './fault-simulation.js';
import { MemoryRevisionStore } from './memory-revision-store.js';
import { MemoryS3 } from './memory-s3.js';

const BUCKET = 'redline';

/**
 * The fast backend of the fault property: MemoryRevisionStore (the RevisionStore contract: atomic conditional put,
 * consistent reads, a stream record per successful revision put) and the REAL S3SnapshotStore over MemoryS3 (which
 * writes on every PUT and raises one ObjectCreated event per PUT, as s3rver does). Events travel as the bodies the
 * diff queue carries (EventBridge "Object Created", docs/ only, as the infra's rule filters them).
 *
 * `seed` drives how often each call yields to the event loop, so concurrent deliveries interleave differently from
 * one run to the next, reproducibly.
 */
export function memoryBackend(seed: number): Backend & { store: MemoryRevisionStore; s3: MemoryS3 } {
  let state = seed >>> 0 || 1;
  // xorshift32: cheap, deterministic per seed.
  const yields = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) % 4;
  };
  let sink: EventSink | undefined;
  let clock: () => Date = () => new Date();
  const store = new MemoryRevisionStore({ yields, onRevisionPut: (revision) => sink?.revision(revision) });
  const s3 = new MemoryS3({
    yields,
    onPut: (key, object) => {
      if (!key.startsWith('docs/')) return;
      sink?.objectCreated(JSON.stringify(objectCreatedEvent({ bucket: BUCKET, key, size: object.body.length, etag: 'etag', at: clock() })));
    },
  });
  const ports: Ports = { revisions: store, snapshots: new S3SnapshotStore({ client: s3.client, bucket: BUCKET }) };
  return {
    name: 'memory',
    store,
    s3,
    ports: () => ports,
    connect(events, eventClock) {
      sink = events;
      clock = eventClock;
    },
    settle: async () => undefined,
    listKeys: async (prefix) => s3.keys(prefix),
    readText: async (key) => {
      const text = s3.text(key);
      if (text === undefined) throw new Error(`no object ${key}`);
      return text;
    },
  };
}
