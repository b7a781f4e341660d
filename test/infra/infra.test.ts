/**
 * The CDK test files, run as ONE Jest test file so that they share one module registry.
 *
 * Jest gives every test file its own registry, and the first synthesis in a registry pays for loading and
 * warming aws-cdk-lib and cdk-nag (about 9 s of CPU for the redline app, against 1.7 s for a second synthesis in
 * the same process). Seven files paid it seven times. Each file below stays a plain module of describe blocks,
 * unchanged; jest.config.js keeps them out of the run on their own (INFRA_PARTS), so that they run once, here.
 * One of them alone: `npm test -- test/infra/infra.test.ts -t 'stateful stack'` (a describe name).
 */
import { readdirSync, readFileSync } from 'node:fs';
import './bindings.test.js';
import './bundles.test.js';
import './edition-report-jobs.test.js';
import './function-imports.test.js';
import './nag.test.js';
import './secrets.test.js';
import './stateful-stack.test.js';
import './stateless-stack.test.js';
import './tracker-function.test.js';
import './watch-list.test.js';

describe('the CDK test files run here', () => {
  it('imports every file that jest.config.js keeps out of the run, and each of them exists', async () => {
    // Plain JavaScript without declarations: read through a string specifier.
    const configPath: string = '../../jest.config.js';
    const { INFRA_PARTS } = (await import(configPath)) as { INFRA_PARTS: string[] };
    const folder = new URL('./', import.meta.url);
    const imported = [...readFileSync(new URL('./infra.test.ts', folder), 'utf8').matchAll(/^import '\.\/([\w-]+)\.test\.js';$/gm)].map(
      (match) => match[1],
    );
    expect(imported.sort()).toEqual([...INFRA_PARTS].sort());
    const present = readdirSync(folder).filter((file) => file.endsWith('.test.ts'));
    for (const name of INFRA_PARTS) expect(present).toContain(`${name}.test.ts`);
  });
});
