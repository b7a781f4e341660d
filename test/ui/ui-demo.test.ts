/**
 * The browser test files that read the demo data, run as ONE Jest file so that they share one module registry,
 * and with it one demo data set and one Chromium (ui-fixture.ts, sharedDemoData and sharedChromium) instead of one
 * of each per file. Each file below stays a plain module of tests, unchanged but for taking the shared ones;
 * jest.config.js keeps them out of the run on their own (UI_DEMO_PARTS), so that they run once, here.
 * One of them alone: `npm test -- test/ui/ui-demo.test.ts -t 'history views'` (a describe name).
 */
import { readFileSync } from 'node:fs';
import './ui-edition-sidebar.test.js';
import './ui-history.test.js';
// Last: its subscription is the only write to the demo data.
import './ui-browser.test.js';

describe('the demo browser test files run here', () => {
  it('imports every file that jest.config.js keeps out of the run', async () => {
    // Plain JavaScript without declarations: read through a string specifier.
    const configPath: string = '../../jest.config.js';
    const { UI_DEMO_PARTS } = (await import(configPath)) as { UI_DEMO_PARTS: string[] };
    const imported = [...readFileSync(new URL('./ui-demo.test.ts', import.meta.url), 'utf8').matchAll(/^import '\.\/([\w-]+)\.test\.js';$/gm)].map(
      (match) => match[1],
    );
    expect(imported.sort()).toEqual([...UI_DEMO_PARTS].sort());
  });
});
