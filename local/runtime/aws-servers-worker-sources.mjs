// The local AWS servers' worker script when redline runs from its TypeScript sources (`npm start`, `npm run redline`,
// the benches, jest): tsx's loader registered in this worker thread (a worker does not inherit a parent's `--import`
// hooks on every Node version, and a jest worker's transform does not reach it), then the worker module itself. The
// CLI bundle runs aws-servers-worker.js instead.
import { register } from 'tsx/esm/api';

register();
await import('./aws-servers-worker.ts');
