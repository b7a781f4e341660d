import { awsDependencies } from '../../shared/runtime/aws-dependencies.js';
import { createObservability } from '../../shared/runtime/observability.js';
import { createDispatchHandler } from './dispatch-handler.js';

export const handler = createDispatchHandler(awsDependencies(), createObservability('dispatch'));
