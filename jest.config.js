/**
 * The CDK test files, run together by test/infra/infra.test.ts (one module registry, so aws-cdk-lib and cdk-nag load
 * and warm up once): kept out of the run on their own, so that each runs once.
 */
export const INFRA_PARTS = [
  'bindings',
  'bundles',
  'edition-report-jobs',
  'function-imports',
  'nag',
  'secrets',
  'stateful-stack',
  'stateless-stack',
  'tracker-function',
  'watch-list',
];

/** The browser test files on the demo data, run together by test/ui/ui-demo.test.ts (one demo data set, one Chromium). */
export const UI_DEMO_PARTS = ['ui-browser', 'ui-edition-sidebar', 'ui-history'];

/**
 * Jest in native ESM; esbuild transpiles only (test/support/esbuild-transform.js; type checking is `npm run
 * typecheck`). The longest files start first, even on a fresh clone (test/support/cost-sequencer.js).
 */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: [
    '/node_modules/',
    ...INFRA_PARTS.map((name) => `/test/infra/${name}\\.test\\.ts$`),
    ...UI_DEMO_PARTS.map((name) => `/test/ui/${name}\\.test\\.ts$`),
  ],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': '<rootDir>/test/support/esbuild-transform.js' },
  testSequencer: '<rootDir>/test/support/cost-sequencer.js',
  // Limits stop a hung test; sized for a loaded 2-core machine, they never decide an outcome (docs/testing.md).
  testTimeout: 300000,
  maxWorkers: 2,
  globalSetup: '<rootDir>/test/ui/chromium-setup.ts',
  // One fixed fast-check seed for every property (test/support/property-seed.ts).
  setupFilesAfterEnv: ['<rootDir>/test/support/property-seed.ts'],
};
