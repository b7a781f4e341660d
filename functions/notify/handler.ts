import { awsDependencies } from '../../shared/runtime/aws-dependencies.js';
import { createObservability } from '../../shared/runtime/observability.js';
import { createNotifyHandler } from './notify-handler.js';

export const handler = createNotifyHandler(awsDependencies(), createObservability('notify'));
