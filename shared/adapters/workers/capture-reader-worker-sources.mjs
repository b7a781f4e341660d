// The capture reader's worker script when redline runs from its TypeScript sources (`npm run redline`, jest): tsx's
// loader registered in this worker thread (a worker does not inherit a parent's `--import` hooks on every Node
// version), then the task module itself. The CLI bundle runs capture-reader-worker.js instead.
import { register } from 'tsx/esm/api';

register();
const { default: readCaptureTask } = await import('./capture-reader-worker.ts');
export default readCaptureTask;
