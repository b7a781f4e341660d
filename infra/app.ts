import { App } from 'aws-cdk-lib';
import { buildRedlineApp } from './redline-app.js';

// `npx cdk synth -c stage=prod` (default stage: dev). Offline: no account or region lookups.
const app = new App();
buildRedlineApp(app);
app.synth();
