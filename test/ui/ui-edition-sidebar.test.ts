import type { Page } from 'playwright-core';
import { axeViolations, screenshot, sharedChromium, sharedDemoData, type Browser, type DemoData } from './ui-fixture.js';

/**
 * The edition comparison's sidebar in Chromium, on the demo data (Kazakhstan 2023 -> 2024): the first change is a few
 * Tab presses from the top, the 2024 outline holds no 2023 section, removed, added and renamed/moved sections have
 * their own groups; axe-core finds no violation and nothing overflows at 390 px.
 */
const COMPARE = '/ui/series/hrr~kazakhstan/compare?from=2023&to=2024';

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

async function open(path: string, viewport: { width: number; height: number }): Promise<Page> {
  const page = await browser!.newPage();
  pages.push(page);
  await page.setViewportSize(viewport);
  const response = await page.goto(`${demo!.apiUrl}${path}`);
  expect({ path, status: response?.status() }).toEqual({ path, status: 200 });
  return page;
}

describe('the edition comparison sidebar in Chromium', () => {
  it('reaches the first change within 10 Tab presses, and keeps the 2024 outline apart from the removed 2023 sections', async () => {
    const page = await open(COMPARE, { width: 1280, height: 900 });
    const first = await page.locator('.diff-sections section.diff-section:not([data-kind="unchanged"])').first().getAttribute('id');
    expect(first).toBeTruthy();

    let presses = 0;
    let focused: { href: string | null; text: string } = { href: null, text: '' };
    while (presses < 40) {
      await page.keyboard.press('Tab');
      presses++;
      focused = await page.evaluate(() => ({
        href: document.activeElement?.getAttribute('href') ?? null,
        text: document.activeElement?.textContent?.trim() ?? '',
      }));
      if (focused.href === `#${first}`) break;
    }
    expect(focused).toEqual({ href: `#${first}`, text: 'Skip to the first change' });
    expect(presses).toBeLessThanOrEqual(10);
    await page.keyboard.press('Enter');
    await page.waitForURL((target) => target.hash === `#${first}`);

    // The sidebar's first link is the first change too: "Changed only" comes first.
    expect(await page.locator('[data-section-nav] a').first().getAttribute('href')).toBe(`#${first}`);

    // Removed sections are listed by their 2023 headings, and never inside the 2024 outline.
    const removedIds = await page.locator('section.diff-section[data-kind="removed"]').evaluateAll((all) => all.map((one) => `#${one.id}`));
    expect(removedIds.length).toBeGreaterThan(0);
    const removedGroup = await page.locator('#nav-removed + ol a').evaluateAll((all) => all.map((one) => one.getAttribute('href')));
    expect(removedGroup).toEqual(removedIds);
    expect(await page.locator('#nav-removed + ol').textContent()).toContain('Prison and Detention Center Conditions');
    const outline = await page.locator('[data-section-nav] details.outline a').evaluateAll((all) => all.map((one) => one.getAttribute('href')));
    expect(outline.length).toBeGreaterThan(0);
    expect(outline.filter((href) => removedIds.includes(href!))).toEqual([]);

    const addedIds = await page.locator('section.diff-section[data-kind="added"]').evaluateAll((all) => all.map((one) => `#${one.id}`));
    expect(await page.locator('#nav-added + ol a').evaluateAll((all) => all.map((one) => one.getAttribute('href')))).toEqual(addedIds);
    const relocated = await page.locator('#nav-relocated + ol li').allTextContents();
    expect(relocated).toContain(
      '1.c Torture and Other Cruel, Inhuman, or Degrading Treatment or Punishment, and Other Related Abuses' +
        ' → 3.a Torture and Cruel, Inhuman, or Degrading Treatment or Punishment',
    );
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'compare-sidebar');
  });

  it('has no axe violation and no horizontal overflow at 390 px, the outline opened', async () => {
    const page = await open(COMPARE, { width: 390, height: 844 });
    await page.locator('[data-section-nav] details.outline summary').click();
    expect(await page.locator('[data-section-nav] details.outline').getAttribute('open')).toBe('');
    expect(await page.evaluate(() => Math.max(0, document.documentElement.scrollWidth - window.innerWidth))).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'compare-sidebar-390px');
  });
});
