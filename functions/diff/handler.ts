import { awsDependencies } from '../../shared/runtime/aws-dependencies.js';
import { createObservability } from '../../shared/runtime/observability.js';
import { createDiffHandler } from './diff-handler.js';

export const handler = createDiffHandler(awsDependencies(), createObservability('diff'));
