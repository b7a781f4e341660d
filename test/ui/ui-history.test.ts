import type { Page } from 'playwright-core';
import { accessibilityProblems, axeViolations, screenshot, sharedChromium, sharedDemoData, type Browser, type DemoData } from './ui-fixture.js';

/**
 * The history views in Chromium, on the demo data (Kazakhstan 2022-2024, China and Russia 2023-2024, with the
 * demo's scheduled edits): blame, the removal ledger, sentence search, moved text in comparisons. Every view opened
 * here, and every other view of the UI, passes axe-core with no violations and has no horizontal overflow at 390 px.
 */
const MOVED_PARAGRAPH = 'The duration of preliminary detention could be extended to 72 hours';
const STAYED_PARAGRAPH = 'The law prohibited arbitrary arrest and detention';
const CUT_SENTENCE = 'There were no reports of disappearances by or on behalf of government authorities.';

let demo: DemoData | undefined;
let browser: Browser | undefined;
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
  await browser?.close();
  await demo?.close();
}, 60_000);

function url(path: string): string {
  return `${demo!.apiUrl}${path}`;
}

async function open(path: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
  const page = await browser!.newPage();
  pages.push(page);
  await page.setViewportSize(viewport);
  const response = await page.goto(url(path));
  expect({ path, status: response?.status() }).toEqual({ path, status: 200 });
  return page;
}

/** How far the page reaches past the viewport's right edge, in CSS pixels (0: no horizontal overflow). */
async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => Math.max(0, document.documentElement.scrollWidth - window.innerWidth));
}

describe('the history views in Chromium', () => {
  it('blames an edition: origin, editions survived, earlier wording, section filter and sentence permalinks', async () => {
    const page = await open('/ui/series/hrr~kazakhstan/blame?edition=2023');
    expect(await page.locator('h1').textContent()).toBe('Blame: hrr.kazakhstan.2023, 2023#2');
    const blame = (await (await fetch(url('/pages/hrr.kazakhstan.2023/blame?limit=1000'))).json()) as {
      items: { hash: string; text: string; origin: { edition: number }; editions: number[]; rewordedFrom?: { text: string } }[];
    };
    expect(await page.locator('li.blamed').count()).toBe(blame.items.length);
    const cut = blame.items.find((item) => item.text === CUT_SENTENCE)!;
    const entry = page.locator(`li#s-${cut.hash}`);
    expect(await entry.locator('.sentence').textContent()).toBe(CUT_SENTENCE);
    expect(await entry.getAttribute('data-origin')).toBe(String(cut.origin.edition));
    expect(await entry.locator('.blame-meta').textContent()).toContain(`in ${cut.editions.length} edition`);
    const reworded = blame.items.find((item) => item.rewordedFrom)!;
    expect(await page.locator(`li#s-${reworded.hash} .reworded-from q`).textContent()).toBe(reworded.rewordedFrom!.text);
    await screenshot(page, 'blame');

    // The permalink lands on the sentence (the same id in any edition that has it).
    const permalink = await entry.locator('a.permalink').getAttribute('href');
    expect(permalink).toBe(`/ui/series/hrr~kazakhstan/blame?edition=2023#s-${cut.hash}`);

    // Filter by section: only that section's sentences remain.
    await page.getByLabel('Section').selectOption({ label: 'Disappearance' });
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(/section=/);
    const headings = await page.locator('.blame-section h2').allTextContents();
    expect(headings).toEqual(['Disappearance']);
    expect(await page.locator(`li#s-${cut.hash}`).count()).toBe(1);

    // The page route with ?edition= blames that edition's page of the series.
    const other = await open('/ui/pages/hrr.kazakhstan.2024/blame?edition=2022');
    expect(await other.locator('h1').textContent()).toContain('hrr.kazakhstan.2022');
  });

  it('lists the removal ledger of two editions by section, with counts that match the comparison, a term filter and the CSV', async () => {
    const api = (await (await fetch(url('/series/hrr~kazakhstan/removed?from=2023&to=2024&fate=removed,reworded,moved&limit=1'))).json()) as {
      transitions: { removed: number; reworded: number; moved: number }[];
    };
    const [counts] = api.transitions;
    const page = await open('/ui/series/hrr~kazakhstan/removed?from=2023&to=2024');
    const row = page.locator('#ledger-counts tbody tr');
    expect(await row.locator('[data-count=removed]').textContent()).toBe(counts!.removed.toLocaleString('en-US'));
    expect(await row.locator('[data-count=reworded]').textContent()).toBe(counts!.reworded.toLocaleString('en-US'));
    expect(await page.locator('li.ledger-entry').count()).toBe(counts!.removed + counts!.reworded);
    const cut = page.locator('li.ledger-entry', { hasText: CUT_SENTENCE });
    expect(await cut.locator('.blame-meta').textContent()).toMatch(/last seen 2023#2.*removed in 2024/s);
    await screenshot(page, 'removed');

    // The comparison of the same editions says the same numbers.
    const compare = await open('/ui/series/hrr~kazakhstan/compare?from=2023&to=2024');
    const summary = compare.locator('[data-ledger-counts]');
    expect(await summary.locator('[data-count=removed]').textContent()).toBe(counts!.removed.toLocaleString('en-US'));
    expect(await summary.locator('[data-count=reworded]').textContent()).toBe(counts!.reworded.toLocaleString('en-US'));
    expect(await summary.locator('[data-count=moved]').textContent()).toBe(counts!.moved.toLocaleString('en-US'));

    await page.getByLabel('Containing').fill('disappearances');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(/term=disappearances/);
    const texts = await page.locator('li.ledger-entry .sentence').allTextContents();
    expect(texts.length).toBeGreaterThan(0);
    for (const text of texts) expect(text.toLowerCase()).toContain('disappearances');

    const csvHref = await page.getByRole('link', { name: 'Download CSV' }).getAttribute('href');
    expect(csvHref).toBe('/series/hrr~kazakhstan/removed?from=2023&to=2024&term=disappearances&format=csv');
    const csv = await fetch(url(csvHref!));
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect((await csv.text()).trim().split(/\r?\n/).length - 1).toBe(texts.length);
  });

  it('finds a removed sentence of the sample, with the edition that last had it and the one that removed it', async () => {
    const page = await open('/ui/search');
    await page.getByLabel('Phrase or term').fill('no reports of disappearances by or on behalf');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/\/ui\/search\?q=/);
    const hit = page.locator('li.search-hit', { hasText: CUT_SENTENCE });
    expect(await hit.count()).toBe(1);
    expect(await hit.locator('mark').textContent()).toBe('no reports of disappearances by or on behalf');
    expect(await hit.locator('[data-fact=first]').textContent()).toBe('2022');
    expect(await hit.locator('[data-fact=last]').textContent()).toBe('2023#2');
    expect(await hit.locator('[data-fact=removed]').textContent()).toBe('2024 (ledger)');
    await screenshot(page, 'search');
    await hit.getByRole('link', { name: 'ledger' }).click();
    await page.waitForURL(/\/removed\?from=2023&to=2024$/);
    expect(await page.locator('li.ledger-entry', { hasText: CUT_SENTENCE }).count()).toBe(1);
  });

  it('marks the Kazakhstan 2023 -> 2024 moved paragraphs as moved, each end linking to the other', async () => {
    const page = await open('/ui/series/hrr~kazakhstan/compare?from=2023&to=2024');
    const from = page.locator('.moved-para[data-move-end=from]', { hasText: MOVED_PARAGRAPH });
    const to = page.locator('.moved-para[data-move-end=to]', { hasText: MOVED_PARAGRAPH });
    expect(await from.count()).toBe(1);
    expect(await to.count()).toBe(1);
    // Neither struck through nor inserted: moved.
    expect(await from.locator('del, ins').count()).toBe(0);
    expect(await from.locator('.move-link').textContent()).toBe('Moved to “Prolonged Detention without Charges”');
    expect(await to.locator('.move-link').textContent()).toBe('Moved from “Arrest Procedures and Treatment of Detainees”');
    const target = await from.locator('a.move-link').getAttribute('href');
    expect(target).toBe(`#${await to.getAttribute('id')}`);
    expect(await to.locator('a.move-link').getAttribute('href')).toBe(`#${await from.getAttribute('id')}`);
    await from.locator('a.move-link').click();
    expect(await page.evaluate(() => location.hash)).toBe(target);
    // The paragraph the issue saw struck through and re-inserted stays with its section (1.d, now "Prolonged
    // Detention without Charges"): it is neither a deletion nor an insertion.
    const marked = await page.$$eval('.diff-section del, .diff-section ins', (elements) => elements.map((element) => element.textContent ?? ''));
    expect(marked.some((text) => text.includes(STAYED_PARAGRAPH))).toBe(false);
    // A removed section with a likely counterpart links to it.
    const counterpart = page.locator('section[data-kind=removed] .counterpart a', { hasText: 'Prolonged Detention without Charges' }).first();
    expect(await counterpart.getAttribute('href')).toBe('#sec-liberty.disappearance-and-abduction.prolonged-detention-without-charges');
    await screenshot(page, 'compare-moved');
  });

  it('shows a revision as captured: outline, text, links to the previous revision and edition, raw HTML only as a download', async () => {
    const page = await open('/ui/pages/hrr.kazakhstan.2023/revisions/2/snapshot');
    const outline = await page.locator('.snapshot-outline li').count();
    expect(outline).toBe(await page.locator('.snapshot-section').count());
    expect(outline).toBeGreaterThan(20);
    expect(await page.locator('.snapshot-section p', { hasText: CUT_SENTENCE }).count()).toBe(1);
    const links = page.locator('#snapshot-links');
    expect(await links.getByRole('link', { name: 'Previous revision (#1)' }).getAttribute('href')).toBe(
      '/ui/pages/hrr.kazakhstan.2023/revisions/1/snapshot',
    );
    expect(await links.getByRole('link', { name: 'Previous edition (2022)' }).getAttribute('href')).toBe(
      '/ui/pages/hrr.kazakhstan.2022/revisions/2/snapshot',
    );
    expect(await links.getByRole('link', { name: 'Compare with the 2022 edition' }).getAttribute('href')).toBe(
      '/ui/series/hrr~kazakhstan/compare?from=2022&to=2023',
    );
    // The outline's links land on their section.
    const first = page.locator('.snapshot-outline a').nth(3);
    await first.click();
    expect(await page.evaluate(() => document.querySelector(location.hash)?.textContent)).toBe(await first.textContent());
    await screenshot(page, 'snapshot');

    // Raw HTML: an attachment of an opaque type, never a page of the UI; each revision gets its own body.
    const rawHref = await links.getByRole('link', { name: 'Download the raw HTML' }).getAttribute('href');
    expect(rawHref).toBe('/ui/pages/hrr.kazakhstan.2023/revisions/2/raw');
    const raw = await fetch(url(rawHref!));
    expect(raw.status).toBe(200);
    expect(raw.headers.get('content-type')).toBe('application/octet-stream');
    expect(raw.headers.get('content-disposition')).toBe('attachment; filename="hrr.kazakhstan.2023-r2.html"');
    const body = await raw.text();
    expect(body).toContain('<html');
    const earlier = await (await fetch(url('/ui/pages/hrr.kazakhstan.2023/revisions/1/raw'))).text();
    expect(earlier).not.toBe(body);
    // The demo's known edit (revision #2) is in the second body only.
    const inserted = (await import('../../local/demo/site-schedule.js')).INSERTED_SENTENCE;
    expect([earlier.includes(inserted), body.includes(inserted)]).toEqual([false, true]);
  });

  it('gives the first revision and the timeline a way to the previous edition', async () => {
    const first = await open('/ui/pages/hrr.kazakhstan.2024/revisions/1');
    const note = first.locator('#changed-sections + p');
    expect(await note.textContent()).toContain('The first capture of this page');
    expect(await note.getByRole('link', { name: 'compare it with the 2023 edition' }).getAttribute('href')).toBe(
      '/ui/series/hrr~kazakhstan/compare?from=2023&to=2024',
    );
    expect(await note.getByRole('link', { name: 'Read it as captured' }).getAttribute('href')).toBe(
      '/ui/pages/hrr.kazakhstan.2024/revisions/1/snapshot',
    );
    const timeline = await open('/ui/pages/hrr.kazakhstan.2024');
    expect(await timeline.getByRole('link', { name: 'Compare with the previous edition (2023)' }).getAttribute('href')).toBe(
      '/ui/series/hrr~kazakhstan/compare?from=2023&to=2024',
    );
  });

  it('answers HEAD on UI routes, and compares the newest two editions when the years are left out', async () => {
    for (const path of ['/ui', '/ui/series/hrr~kazakhstan', '/ui/search?q=torture']) {
      const response = await fetch(url(path), { method: 'HEAD' });
      expect({ path, status: response.status, type: response.headers.get('content-type') }).toEqual({
        path,
        status: 200,
        type: 'text/html; charset=utf-8',
      });
    }
    expect((await fetch(url('/ui/no-such-view'), { method: 'HEAD' })).status).toBe(404);
    const page = await open('/ui/series/hrr~kazakhstan/compare');
    expect(await page.locator('h1').textContent()).toBe('hrr/kazakhstan: the 2023 and 2024 editions compared');
    const onlyTo = await open('/ui/series/hrr~kazakhstan/compare?to=2023');
    expect(await onlyTo.locator('h1').textContent()).toBe('hrr/kazakhstan: the 2022 and 2023 editions compared');
    // Series by name (from their pages' titles), the id kept in small print.
    const series = await open('/ui/series/hrr~kazakhstan');
    expect(await series.locator('h1').textContent()).toBe('Country Reports on Human Rights Practices: Kazakhstan');
    const home = await open('/ui');
    expect(await home.locator('#series ~ .table-scroll th a[href="/ui/series/hrr~kazakhstan"]').textContent()).toBe(
      'Country Reports on Human Rights Practices: Kazakhstan',
    );
  });

  it('follows a section across the editions, through its 2024 rename, by heading', async () => {
    const page = await open('/ui/series/hrr~kazakhstan/compare?from=2023&to=2024');
    await page.locator('section[data-key="security-of-the-person/torture-and-cruel-inhuman-or-degrading"] a.lineage-link').click();
    await page.waitForURL(/\/sections\/security-of-the-person~torture-and-cruel-inhuman-or-degrading\/history\?edition=2024$/);
    const rows = page.locator('#section-editions tbody tr');
    expect(await rows.evaluateAll((elements) => elements.map((row) => row.getAttribute('data-edition')))).toEqual(['2022', '2023', '2024']);
    expect(await rows.nth(1).locator('td').first().textContent()).toBe(
      'Torture and Other Cruel, Inhuman, or Degrading Treatment or Punishment, and Other Related Abuses',
    );
    expect(await rows.nth(2).locator('td').first().textContent()).toBe(
      'Torture and Cruel, Inhuman, or Degrading Treatment or Punishment renamed or moved',
    );
    // No internal keys shown; sentences per edition equal the blame's count for that section.
    expect(await page.locator('main').textContent()).not.toContain('security-of-the-person/');
    const key = 'security-of-the-person/torture-and-cruel-inhuman-or-degrading';
    const blame = (await (await fetch(url(`/pages/hrr.kazakhstan.2024/blame?limit=1000&section=${key}`))).json()) as {
      items: { sectionKey: string }[];
    };
    expect(await rows.nth(2).locator('[data-sentences]').textContent()).toBe(String(blame.items.filter((item) => item.sectionKey === key).length));
    expect(await rows.nth(2).getByRole('link', { name: '2023 → 2024' }).getAttribute('href')).toBe(
      '/ui/series/hrr~kazakhstan/compare?from=2023&to=2024#sec-security-of-the-person.torture-and-cruel-inhuman-or-degrading',
    );
  });

  it('offers the sections of the chosen series by heading in the subscribe form', async () => {
    const page = await open('/ui/subscribe?series=hrr%2Fkazakhstan');
    const options = await page.$$eval('#section-suggestions option', (elements) =>
      elements.map((option) => ({ value: option.getAttribute('value'), label: option.textContent })),
    );
    expect(options).toContainEqual({
      value: 'security-of-the-person/torture-and-cruel-inhuman-or-degrading',
      label: '3.a Torture and Cruel, Inhuman, or Degrading Treatment or Punishment',
    });
    expect(await page.getByLabel('Section key prefixes').getAttribute('list')).toBe('section-suggestions');
    const plain = await open('/ui/subscribe');
    expect(await plain.locator('#section-suggestions').count()).toBe(0);
  });

  const VIEWS = [
    '/ui',
    '/ui/series/hrr~kazakhstan',
    '/ui/series/hrr~kazakhstan/compare?from=2023&to=2024',
    '/ui/series/hrr~kazakhstan/compare?from=2023&to=2024&view=side-by-side',
    '/ui/pages/hrr.kazakhstan.2023',
    '/ui/pages/hrr.kazakhstan.2023/revisions/2',
    '/ui/pages/hrr.kazakhstan.2022/diff?from=1&to=2',
    '/ui/pages/hrr.kazakhstan.2022/diff?from=1&to=2&view=side-by-side',
    '/ui/pages/hrr.kazakhstan.2023/sections/respect-for-the-integrity-of-the-person~torture-and-other-cruel-inhuman-or-degrading/history',
    '/ui/pages/hrr.kazakhstan.2023/blame',
    '/ui/pages/hrr.kazakhstan.2023/revisions/1/snapshot',
    '/ui/pages/hrr.kazakhstan.2024/revisions/1',
    '/ui/series/hrr~kazakhstan/removed',
    '/ui/search?q=arbitrary+arrest',
    '/ui/series/hrr~kazakhstan/sections/security-of-the-person~torture-and-cruel-inhuman-or-degrading/history',
    '/ui/audit?terms=torture%2C+corruption&series=hrr%2Fkazakhstan',
    '/ui/subscribe',
    '/ui/subscribe?series=hrr%2Fkazakhstan',
  ];

  it.each(VIEWS)(
    '%s: axe-core finds no violation, and nothing overflows sideways at 390 px',
    async (path) => {
      const page = await open(path);
      expect({ path, violations: await axeViolations(page) }).toEqual({ path, violations: [] });
      expect({ path, problems: await accessibilityProblems(page) }).toEqual({ path, problems: [] });
      await page.setViewportSize({ width: 390, height: 844 });
      expect({ path, overflow: await horizontalOverflow(page) }).toEqual({ path, overflow: 0 });
      // The audit's chart keeps its drawn size (scrolling inside its own box), so its 12 px labels stay readable.
      if (path.includes('audit')) {
        const scale = await page.$eval('svg.chart', (svg) => svg.getBoundingClientRect().width / Number(svg.getAttribute('width')));
        expect(scale).toBeCloseTo(1, 2);
      }
      // Side by side falls back to one column below 700 px.
      if (path.includes('side-by-side')) {
        const widths = await page.$$eval('table.side-by-side tr:first-child td:not(.empty)', (cells) =>
          cells.map((cell) => cell.getBoundingClientRect().width),
        );
        for (const width of widths) expect(width).toBeGreaterThan(300);
      }
    },
    120_000,
  );
});
