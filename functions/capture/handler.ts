import { awsDependencies } from '../../shared/runtime/aws-dependencies.js';
import { createObservability } from '../../shared/runtime/observability.js';
import { createCaptureHandler } from './capture-handler.js';

export const handler = createCaptureHandler(awsDependencies(), createObservability('capture'));
