import type { Page } from 'playwright-core';
import { INSERTED_SENTENCE } from '../../local/demo/site-schedule.js';
import {
  accessibilityProblems,
  launchChromium,
  screenshot,
  sharedChromium,
  sharedDemoData,
  UI_TOKEN,
  type Browser,
  type DemoData,
} from './ui-fixture.js';

/**
 * The web UI in a real browser (Debian's Chromium, driven by playwright-core) against the demo's data: the demo's
 * watches and its scheduled edits, new editions and failures, over DEMO_CYCLES capture cycles. Every page opened
 * also passes the basic accessibility checks (ui-fixture.ts). Screenshots go to test-artifacts/ui/.
 */
const TORTURE_KEY = 'respect-for-the-integrity-of-the-person/torture-and-other-cruel-inhuman-or-degrading';
const EXPRESSION_KEY = 'respect-for-civil-liberties/freedom-of-expression-including-for-members-of';
const PRISON_KEY = 'respect-for-the-integrity-of-the-person/torture-and-other-cruel-inhuman-or-degrading/prison-and-detention-center-conditions';
const TORTURE_2024_KEY = 'security-of-the-person/torture-and-cruel-inhuman-or-degrading';
const TORTURE_2023_HEADING = 'Torture and Other Cruel, Inhuman, or Degrading Treatment or Punishment, and Other Related Abuses';
const TORTURE_2024_HEADING = 'Torture and Cruel, Inhuman, or Degrading Treatment or Punishment';

let demo: DemoData | undefined;
let browser: Browser | undefined;
let noScript: Browser | undefined;
const pages: Page[] = [];

beforeAll(async () => {
  demo = await sharedDemoData();
  browser = await sharedChromium();
}, 180_000);

// Each test's pages close after it: a page left open keeps its document (up to 11,764 elements) in the browser.
afterEach(async () => {
  await Promise.allSettled(pages.splice(0).map((page) => page.close()));
});

afterAll(async () => {
  await Promise.allSettled([browser?.close(), noScript?.close()]);
  await demo?.close();
}, 180_000);

function url(path: string): string {
  return `${demo!.apiUrl}${path}`;
}

/** Opens a UI path (200 expected) and checks the page's accessibility basics. */
async function open(path: string, options: { from?: Browser } = {}): Promise<Page> {
  const page = await (options.from ?? browser!).newPage();
  pages.push(page);
  const response = await page.goto(url(path));
  expect({ path, status: response?.status() }).toEqual({ path, status: 200 });
  expect({ path, problems: await accessibilityProblems(page) }).toEqual({ path, problems: [] });
  return page;
}

async function expectAccessible(page: Page): Promise<void> {
  expect({ url: page.url(), problems: await accessibilityProblems(page) }).toEqual({ url: page.url(), problems: [] });
}

async function apiJson<T>(path: string): Promise<T> {
  const response = await fetch(url(path));
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

interface ApiDiff {
  diff: { sections: { key: string; paragraphs: { kind: string; before?: string; after?: string; words?: { op: string; text: string }[] }[] }[] };
}

/** The insertions and deletions the API reports, in document order, as the UI's inline view should mark them. */
function expectedMarks(diff: ApiDiff): { ins: string[]; del: string[] } {
  const ins: string[] = [];
  const del: string[] = [];
  for (const section of diff.diff.sections) {
    for (const paragraph of section.paragraphs) {
      if (paragraph.kind === 'added') ins.push(paragraph.after!);
      else if (paragraph.kind === 'removed') del.push(paragraph.before!);
      else if (!paragraph.words) {
        del.push(paragraph.before!);
        ins.push(paragraph.after!);
      } else {
        for (const word of paragraph.words)
          if (word.op === 'insert') ins.push(word.text);
          else if (word.op === 'delete') del.push(word.text);
      }
    }
  }
  return { ins, del };
}

/** The <ins> and <del> texts of the diff itself (not of the lists of removed sentences under a section). */
async function marks(page: Page, scope = '.diff-section') {
  const texts = (elements: Element[]) =>
    elements.filter((element) => !element.closest('.removed-sentences')).map((element) => element.textContent ?? '');
  return { ins: await page.$$eval(`${scope} ins`, texts), del: await page.$$eval(`${scope} del`, texts) };
}

describe('the web UI in Chromium, on the demo data', () => {
  it('lists series and pages with their last change, and opens a page timeline', async () => {
    const page = await open('/ui');
    await screenshot(page, 'home');
    expect(await page.locator('h1').textContent()).toBe('Series and pages');
    const kazakhstan = page.locator('#series ~ .table-scroll tr', { hasText: 'hrr/kazakhstan' });
    expect(await kazakhstan.locator('td').nth(0).textContent()).toBe('2022, 2023, 2024');
    // The series' last change is its newest capture: the 2024 edition's revision #2 (cycle 6).
    expect(await kazakhstan.locator('td').nth(1).textContent()).toContain('hrr.kazakhstan.2024: #2');
    const row = page.locator('#pages ~ .table-scroll tr', { hasText: 'hrr.kazakhstan.2023' });
    expect(await row.locator('td').nth(1).textContent()).toMatch(/#2 .*1 modified/s);
    expect(await page.locator('a[href="/feeds/all.atom"]').count()).toBeGreaterThan(0);
    expect((await fetch(url('/feeds/series/hrr~kazakhstan.atom'))).headers.get('content-type')).toContain('application/atom+xml');

    await row.locator('th a').click();
    await page.waitForURL(/\/ui\/pages\/hrr\.kazakhstan\.2023$/);
    await expectAccessible(page);
    const revisions = page.locator('ol.timeline > li');
    expect(await revisions.count()).toBe(2);
    expect(await revisions.nth(0).textContent()).toMatch(/Revision #2.*1 modified.*Diff with #1/s);
    expect(await revisions.nth(1).textContent()).toMatch(/Revision #1.*first capture/s);
    // The compare form picks the two newest by default.
    expect(await page.locator('input[name=from]:checked').inputValue()).toBe('1');
    expect(await page.locator('input[name=to]:checked').inputValue()).toBe('2');
    await screenshot(page, 'timeline');
    await page.getByRole('button', { name: 'Compare selected revisions' }).click();
    await page.waitForURL(/\/diff\?/);
    expect(new URL(page.url()).searchParams.get('from')).toBe('1');
    expect(new URL(page.url()).searchParams.get('to')).toBe('2');
    expect(await page.locator('h1').textContent()).toContain('revision #1 to #2');
  });

  it('shows a diff with word-level insertions and deletions, inline and side by side', async () => {
    const page = await open('/ui/pages/hrr.kazakhstan.2023/diff?from=1&to=2');
    // The demo's known edit: one sentence added to the Torture section in cycle 2.
    const inserted = await page.$$eval(`[data-key="${TORTURE_KEY}"] ins`, (elements) => elements.map((element) => element.textContent?.trim()));
    expect(inserted).toEqual([INSERTED_SENTENCE]);
    expect(await marks(page)).toEqual(expectedMarks(await apiJson<ApiDiff>('/pages/hrr.kazakhstan.2023/diff?from=1&to=2')));
    await screenshot(page, 'diff-inline');

    // Cycle 3 on the 2022 edition: a date changed (a trivial, numbers-only change) and a paragraph deleted.
    const other = await open('/ui/pages/hrr.kazakhstan.2022/diff?from=1&to=2');
    const api = await apiJson<ApiDiff>('/pages/hrr.kazakhstan.2022/diff?from=1&to=2');
    expect(await marks(other)).toEqual(expectedMarks(api));
    expect(await marks(other, '[data-key="executive-summary"]')).toEqual({ ins: ['21'], del: ['20'] });
    const removedParagraph = api.diff.sections.find((section) => section.key === EXPRESSION_KEY)!.paragraphs[0]!;
    expect(removedParagraph.kind).toBe('removed');
    expect(await marks(other, `[data-key="${EXPRESSION_KEY}"]`)).toEqual({ ins: [], del: [removedParagraph.before] });

    await other.getByRole('link', { name: 'Side by side' }).click();
    await other.waitForURL(/view=side-by-side/);
    await expectAccessible(other);
    const table = other.locator('[data-key="executive-summary"] table.side-by-side');
    expect(await table.locator('th').allTextContents()).toEqual([
      expect.stringMatching(/^#1 \(\d{4}-\d\d-\d\d\)$/),
      expect.stringMatching(/^#2 \(\d{4}-\d\d-\d\d\)$/),
    ]);
    const cells = table.locator('tbody td');
    expect(await cells.nth(0).locator('del').allTextContents()).toEqual(['20']);
    expect(await cells.nth(0).locator('ins').count()).toBe(0);
    expect(await cells.nth(1).locator('ins').allTextContents()).toEqual(['21']);
    expect(await cells.nth(1).locator('del').count()).toBe(0);
    await screenshot(other, 'diff-side-by-side');
  });

  it('never hides a number or date change under "Hide formatting-only changes", with the script or without it', async () => {
    const page = await open('/ui/pages/hrr.kazakhstan.2022/diff?from=1&to=2');
    const summary = page.locator('[data-key="executive-summary"]');
    expect(await summary.getAttribute('data-numbers-only')).toBe('true');
    expect(await summary.getAttribute('data-trivial')).toBeNull();
    await expect(summary.isVisible()).resolves.toBe(true);
    await page.getByLabel(/Hide formatting-only changes/).check();
    // The date went from 20 to 21: it matters to this audience, so it stays.
    await expect(summary.isVisible()).resolves.toBe(true);
    await expect(page.locator(`[data-key="${EXPRESSION_KEY}"]`).isVisible()).resolves.toBe(true);
    expect(page.url()).toContain('hideTrivial=true');
    expect(await page.getByRole('link', { name: 'Side by side' }).getAttribute('href')).toContain('hideTrivial=true');

    noScript ??= await launchChromium({ javaScriptEnabled: false });
    const plain = await open('/ui/pages/hrr.kazakhstan.2022/diff?from=1&to=2', { from: noScript });
    await plain.getByLabel(/Hide formatting-only changes/).check();
    await plain.getByRole('button', { name: 'Apply' }).click();
    await plain.waitForURL(/hideTrivial=true/);
    expect(await marks(plain, '[data-key="executive-summary"]')).toEqual({ ins: ['21'], del: ['20'] });
    await expect(plain.locator('[data-key="executive-summary"]').isVisible()).resolves.toBe(true);
    await screenshot(plain, 'diff-without-javascript');
  });

  it('shows the edition overview: series sorted by links, a ratio histogram, the sections grid; without a script and at 390 px', async () => {
    const report = await apiJson<{ series: Array<{ series: string; ratio: number; removed: number }>; sections: unknown[] }>(
      '/editions/hrr/report?from=2023&to=2024',
    );
    expect(report.series.length).toBeGreaterThan(0);
    const page = await open('/ui/editions/hrr?from=2023&to=2024');
    const shown = await page
      .locator('#overview-series tbody tr')
      .evaluateAll((rows) => rows.map((row) => [row.getAttribute('data-series'), Number(row.getAttribute('data-ratio'))]));
    expect(shown).toEqual(report.series.map((row) => [row.series, row.ratio]));
    expect(await page.locator('#overview-histogram svg g.bin').count()).toBeGreaterThanOrEqual(10);
    expect(await page.locator('#overview-sections tbody tr').count()).toBe(report.sections.length);
    const first = report.series[0]!.series;
    expect(await page.locator(`#overview-series tr[data-series="${first}"] a`).getAttribute('href')).toBe(
      `/ui/series/${first.replace('/', '~')}/compare?from=2023&to=2024`,
    );
    await screenshot(page, 'edition-overview');

    noScript ??= await launchChromium({ javaScriptEnabled: false });
    const plain = await open('/ui/editions/hrr?from=2023&to=2024', { from: noScript });
    await plain.setViewportSize({ width: 390, height: 844 });
    await plain.getByRole('link', { name: 'Sections removed' }).click();
    await plain.waitForURL(/sort=removed/);
    await expectAccessible(plain);
    const removed = await plain.locator('#overview-series tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-series')));
    expect(removed).toEqual([...report.series].sort((a, b) => b.removed - a.removed || a.series.localeCompare(b.series)).map((row) => row.series));
    // The page itself never scrolls sideways at 390 px: the wide tables scroll in their own boxes.
    const wide = await plain.evaluate(() =>
      [...document.querySelectorAll('body *')]
        .filter((element) => !element.parentElement?.closest('.table-scroll') && element.getBoundingClientRect().right > 391)
        .slice(0, 5)
        .map((element) => `${element.tagName}.${element.className}#${element.id}`),
    );
    expect(wide).toEqual([]);
    expect(await plain.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(plain, 'edition-overview-390px');
  });

  it('compares two editions section by section: removed sections stand out, renamed ones show both names', async () => {
    const page = await open('/ui/series/hrr~kazakhstan');
    expect(await page.getByLabel('From edition').inputValue()).toBe('2023');
    expect(await page.getByLabel('To edition').inputValue()).toBe('2024');
    await page.getByRole('button', { name: 'Compare' }).click();
    await page.waitForURL(/\/ui\/series\/hrr~kazakhstan\/compare\?from=2023&to=2024$/);
    await expectAccessible(page);

    const prison = page.locator(`section[data-key="${PRISON_KEY}"]`);
    expect(await prison.getAttribute('data-kind')).toBe('removed');
    expect(await prison.locator('.removed-banner').textContent()).toBe('Section removed: it is not in 2024 edition.');
    expect(await prison.locator('del').count()).toBeGreaterThan(0);
    expect(await page.locator('#removed-sections ~ ul li').allTextContents()).toContain('Prison and Detention Center Conditions');

    const torture = page.locator(`section[data-key="${TORTURE_2024_KEY}"]`);
    expect(await torture.locator('h2').textContent()).toBe(`3.a ${TORTURE_2024_HEADING}`);
    expect(await torture.locator('.rename .old-name').textContent()).toBe(`“1.c ${TORTURE_2023_HEADING}”`);
    expect(await torture.locator('.rename .new-name').textContent()).toBe(`“3.a ${TORTURE_2024_HEADING}”`);
    expect(await torture.locator('.badge.renamed').count()).toBeGreaterThan(0);
    expect(await page.locator('#renamed-sections ~ ul li', { hasText: TORTURE_2024_HEADING }).textContent()).toBe(
      `1.c ${TORTURE_2023_HEADING} → 3.a ${TORTURE_2024_HEADING}`,
    );
    // Sentences dropped from sections that remain are listed under them.
    const sentences = await torture.locator('.removed-sentences li').allTextContents();
    expect(sentences.length).toBeGreaterThan(0);
    await screenshot(page, 'compare-editions');
    await page.locator(`[id="sec-${TORTURE_2024_KEY.replaceAll('/', '.')}"]`).scrollIntoViewIfNeeded();
    await screenshot(page, 'compare-editions-renamed');
  });

  it('runs an audit: the chart bars carry the API rates, the table the same numbers, the CSV link the API CSV', async () => {
    const page = await open('/ui/audit');
    await page.getByLabel('Terms').fill('torture, corruption');
    await page.getByLabel('Series').selectOption('hrr/kazakhstan');
    await page.getByRole('button', { name: 'Run audit' }).click();
    await page.waitForSelector('svg#audit-chart');
    await expectAccessible(page);

    const bars = await page.$$eval('svg#audit-chart rect.bar', (rects) =>
      rects.map((rect) => ({
        term: rect.getAttribute('data-term'),
        edition: Number(rect.getAttribute('data-edition')),
        rate: Number(rect.getAttribute('data-rate')),
        height: Number(rect.getAttribute('height')),
      })),
    );
    const audit = await apiJson<{ terms: string[]; rows: { edition: number; rates: Record<string, number> }[] }>(
      '/audit?terms=torture,corruption&series=hrr/kazakhstan',
    );
    expect(audit.rows.map((row) => row.edition)).toEqual([2022, 2023, 2024]);
    const expected = audit.rows.flatMap((row) => audit.terms.map((term) => ({ term, edition: row.edition, rate: row.rates[term] })));
    expect(bars.map(({ term, edition, rate }) => ({ term, edition, rate }))).toEqual(expected);
    // Heights are proportional to the rates (a zero rate is a bar of no height).
    const tallest = bars.reduce((best, bar) => (bar.rate > best.rate ? bar : best));
    expect(tallest.rate).toBeGreaterThan(0);
    const scale = tallest.height / tallest.rate;
    for (const bar of bars) expect(Math.abs(bar.height - bar.rate * scale)).toBeLessThan(0.05);
    const tableRates = await page.$$eval('#audit-table td[data-rate]', (cells) => cells.map((cell) => Number(cell.getAttribute('data-rate'))));
    expect(tableRates).toEqual(expected.map((bar) => bar.rate));

    const csvHref = await page.getByRole('link', { name: 'Download CSV' }).getAttribute('href');
    expect(csvHref).toBe('/audit?terms=torture%2C+corruption&by=edition&series=hrr%2Fkazakhstan&format=csv');
    const csv = await fetch(url(csvHref!));
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect((await csv.text()).split(/\r?\n/)[0]).toBe('year,reports,word_count,count_torture,count_corruption,rate_torture,rate_corruption');
    await screenshot(page, 'audit');
  });

  it('is usable from the keyboard: the skip link comes first, n and p move between sections', async () => {
    const page = await open('/ui/pages/hrr.kazakhstan.2022/diff?from=1&to=2');
    await page.keyboard.press('Tab');
    const skip = await page.evaluate(() => {
      const active = document.activeElement as HTMLElement;
      const box = active.getBoundingClientRect();
      return { text: active.textContent, className: active.className, top: box.top, outline: getComputedStyle(active).outlineStyle };
    });
    expect(skip).toEqual({ text: 'Skip to main content', className: 'skip-link', top: 0, outline: 'solid' });
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');

    const headings = await page.$$eval('.diff-section h2', (elements) => elements.map((element) => element.textContent));
    expect(headings.length).toBe(2);
    const focusedHeading = () => page.evaluate(() => (document.activeElement?.tagName === 'H2' ? document.activeElement.textContent : null));
    await page.keyboard.press('n');
    expect(await focusedHeading()).toBe(headings[0]);
    await page.keyboard.press('n');
    expect(await focusedHeading()).toBe(headings[1]);
    expect(page.url()).toMatch(/#sec-respect-for-civil-liberties\.freedom-of-expression/);
    await page.keyboard.press('p');
    expect(await focusedHeading()).toBe(headings[0]);

    // Tab order continues into the header navigation, with a visible focus ring.
    await page.locator('.skip-link').focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => [document.activeElement?.textContent, getComputedStyle(document.activeElement!).outlineStyle])).toEqual([
      'Series and pages',
      'solid',
    ]);
  });

  it('shows a revision with its changed sections, and a section history', async () => {
    const page = await open('/ui/pages/hrr.kazakhstan.2023/revisions/2');
    const rows = page.locator('#changed-sections ~ .table-scroll tbody tr');
    expect(await rows.count()).toBe(1);
    expect(await rows.locator('th').textContent()).toContain(TORTURE_2023_HEADING);
    await rows.getByRole('link', { name: /History/ }).click();
    await page.waitForURL(/\/sections\/.+\/history$/);
    await expectAccessible(page);
    const changes = page.locator('tbody tr');
    expect(await changes.count()).toBe(1);
    expect(await changes.locator('th').textContent()).toBe('#2');
    await changes.getByRole('link', { name: '#1 → #2' }).click();
    await page.waitForURL(/diff\?from=1&to=2#sec-/);
  });

  it('subscribes with the API token from the form, and shows the request to send without a token', async () => {
    const page = await open('/ui/subscribe?series=hrr%2Fkazakhstan');
    expect(await page.getByLabel('Series').inputValue()).toBe('hrr/kazakhstan');
    await page.getByLabel('E-mail', { exact: true }).check();
    await expect(page.getByLabel('Webhook URL').isVisible()).resolves.toBe(false);
    await page.getByLabel('E-mail address').fill('desk@example.org');
    await page.getByLabel('Terms').fill('torture, climate change');
    await page.getByLabel('modified').check();

    await page.getByLabel('API token').fill('not-the-token-0123456789');
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await page.waitForSelector('[data-subscribe-result] .notice.error');
    expect(await page.locator('[data-subscribe-result]').textContent()).toContain('Check the token');

    await page.getByLabel('API token').fill(UI_TOKEN);
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await page.waitForSelector('[data-subscribe-result] .notice.success >> text=/Subscribed: subscription/');
    await screenshot(page, 'subscribe');
    const listed = await fetch(url('/subscriptions'), { headers: { authorization: `Bearer ${UI_TOKEN}` } });
    const { items } = (await listed.json()) as { items: { delivery: { address?: string }; filters: Record<string, unknown> }[] };
    expect(items.find((item) => item.delivery.address === 'desk@example.org')?.filters).toEqual({
      series: ['hrr/kazakhstan'],
      kinds: ['modified'],
      terms: ['torture', 'climate change'],
    });
    // The token went in a header, never into the page's URL.
    expect(page.url()).not.toContain(UI_TOKEN);

    noScript ??= await launchChromium({ javaScriptEnabled: false });
    const plain = await open('/ui/subscribe', { from: noScript });
    await plain.getByLabel('Webhook URL').fill('https://hooks.example.org/redline');
    await plain.getByLabel('Section key prefixes').fill('respect-for-civil-liberties/');
    await plain.getByRole('button', { name: 'Subscribe' }).click();
    await plain.waitForSelector('#preview');
    await expectAccessible(plain);
    const commands = await plain.locator('#preview pre').allTextContents();
    expect(commands[0]).toContain(`curl -sS -X POST ${demo!.apiUrl}/subscriptions`);
    expect(commands[1]).toBe('redline subscribe --webhook https://hooks.example.org/redline --section-prefix respect-for-civil-liberties/');
    expect(JSON.parse(commands[2]!)).toEqual({
      filters: { sectionPrefixes: ['respect-for-civil-liberties/'] },
      delivery: { type: 'webhook', url: 'https://hooks.example.org/redline' },
    });
  });

  it('keeps the largest view (a whole-report edition comparison) small: bytes and elements, not seconds', async () => {
    // No wall-clock bounds (they failed on a loaded shared machine, and tests must not depend on speed): the size of
    // the page and of its DOM are what the renderer controls. Timings are in docs/web-ui.md.
    const response = await fetch(url('/ui/series/hrr~kazakhstan/compare?from=2023&to=2024&view=side-by-side'));
    const body = await response.text();
    expect(response.status).toBe(200);
    const page = await browser!.newPage();
    pages.push(page);
    await page.goto(url('/ui/series/hrr~kazakhstan/compare?from=2023&to=2024&view=side-by-side'));
    const nodes = await page.evaluate(() => document.getElementsByTagName('*').length);
    expect(body.length).toBeLessThan(1_000_000);
    expect(nodes).toBeLessThan(20_000);
  });
});
