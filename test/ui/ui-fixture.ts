import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { chromiumExecutable } from './chromium-setup.js';
import { startLocalRuntime, type LocalRuntime } from '../../local/runtime/local-runtime.js';
import { startReportSite, type ReportSite } from '../../local/demo/report-site.js';
import { RuntimeClock } from '../../local/runtime/runtime-clock.js';
import { DEMO_CYCLES, DEMO_FAILURE_ALERT_THRESHOLD, DEMO_SCHEDULE, DEMO_VALIDATORS, DEMO_WATCHES } from '../../local/demo/site-schedule.js';

/**
 * The demo's data, made the way `npm start` makes it (local/demo/demo.ts): the local report site with the demo's
 * schedule of edits, new editions and failures, the demo's watches, DEMO_CYCLES capture cycles one simulated day
 * apart, and the HTTP API (with the UI) on a free port. Everything is ephemeral (in-memory DynamoDB, S3 in a
 * temporary folder).
 */
export const UI_TOKEN = 'ui-test-token-0123456789abcdef';
export const START = new Date('2025-03-01T06:00:00.000Z');
const DAY_MINUTES = 24 * 60;

export interface DemoData {
  site: ReportSite;
  runtime: LocalRuntime;
  /** `http://127.0.0.1:<port>`: the API, and the UI under /ui. */
  apiUrl: string;
  close(): Promise<void>;
}

export async function startDemoData(): Promise<DemoData> {
  const site = await startReportSite({ schedule: DEMO_SCHEDULE, pageValidators: DEMO_VALIDATORS });
  let runtime: LocalRuntime | undefined;
  try {
    const clock = new RuntimeClock({ start: START });
    runtime = await startLocalRuntime({
      ephemeral: true,
      clock,
      allowedOrigins: [site.origin],
      settings: { failureAlertThreshold: DEMO_FAILURE_ALERT_THRESHOLD },
      api: { port: 0, token: UI_TOKEN },
      // In the test's thread: the servers' own thread costs these short tests CPU time (docs/testing.md).
      serversThread: false,
    });
    for (const page of DEMO_WATCHES) await runtime.watch({ url: site.url(page.country, page.year) });
    for (let cycle = 1; cycle <= DEMO_CYCLES; cycle++) {
      site.advance();
      if (cycle > 1) clock.advanceMinutes(DAY_MINUTES);
      const report = await runtime.runCycle({ timeoutMs: 30_000 });
      if (report.errors.length > 0) throw new Error(`cycle ${cycle}: ${report.errors.join('; ')}`);
    }
  } catch (error) {
    await runtime?.close().catch(() => undefined);
    await site.close();
    throw error;
  }
  const live = runtime;
  return {
    site,
    runtime: live,
    apiUrl: live.api!.url,
    async close() {
      try {
        await live.close();
      } finally {
        await site.close();
      }
    },
  };
}

/**
 * One demo data set and one Chromium for the browser test files, which run together as one Jest file
 * (test/ui/ui-demo.test.ts, so one module registry): each file takes them in its beforeAll and gives them back
 * (`close`) in its afterAll; the last one given back closes them. Built once instead of once per file: the demo's
 * six capture cycles and a browser start. The files only read the demo data, but for ui-browser's subscription,
 * which no other file looks at. A file run alone still gets its own.
 */
export const sharedDemoData = shared(startDemoData);
export const sharedChromium = shared(() => launchChromium());

function shared<T extends { close(): Promise<void> }>(start: () => Promise<T>): () => Promise<T> {
  let users = 0;
  let pending: Promise<T> | undefined;
  return async () => {
    const resource = await (pending ??= start().catch((error: unknown) => {
      pending = undefined;
      throw error;
    }));
    users += 1;
    let given = false;
    return {
      ...resource,
      async close() {
        if (given) return;
        given = true;
        users -= 1;
        if (users > 0) return;
        pending = undefined;
        await resource.close();
      },
    };
  };
}

/** Flags for headless Chromium run as root on a closed network (plus a fresh profile per launch). */
export const CHROMIUM_ARGS = [
  '--headless=shell',
  '--no-sandbox',
  '--no-zygote',
  '--disable-gpu',
  '--use-angle=swiftshader',
  '--disable-quic',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-domain-reliability',
  '--disable-sync',
  '--font-render-hinting=none',
];

export interface Browser {
  context: BrowserContext;
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

/**
 * Chromium through playwright-core, in a new empty user-data-dir (removed on close). A browser that cannot start
 * fails the test with the launcher's message: a skipped browser test would hide a broken UI.
 */
export async function launchChromium(options: { javaScriptEnabled?: boolean } = {}): Promise<Browser> {
  const executablePath = await chromiumExecutable();
  const profile = await mkdtemp(join(tmpdir(), 'redline-ui-chromium-'));
  try {
    // launchPersistentContext is how Playwright takes a user-data-dir (it refuses --user-data-dir in args).
    const context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      args: CHROMIUM_ARGS,
      javaScriptEnabled: options.javaScriptEnabled ?? true,
      viewport: { width: 1280, height: 900 },
      timeout: 30_000,
    });
    context.setDefaultTimeout(15_000);
    return {
      context,
      newPage: () => context.newPage(),
      async close() {
        try {
          await context.close();
        } finally {
          await rm(profile, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    await rm(profile, { recursive: true, force: true });
    throw error;
  }
}

export const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'ui');

export async function screenshot(page: Page, name: string, fullPage = false): Promise<string> {
  await mkdir(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage });
  return path;
}

/**
 * Accessibility checks that need no extra package (a small part of what axe does): landmarks, one h1, a language,
 * a skip link first, labels on every form control, a name on every image and SVG image, unique ids, and WCAG AA
 * contrast of the text that is shown. Returns the problems found (empty when none).
 */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const count = (selector: string) => document.querySelectorAll(selector).length;
    if (!document.documentElement.lang) problems.push('html has no lang');
    if (!document.title.trim()) problems.push('no document title');
    if (count('h1') !== 1) problems.push(`${count('h1')} h1 elements`);
    for (const landmark of ['header', 'nav', 'main', 'footer']) if (count(landmark) === 0) problems.push(`no <${landmark}> landmark`);
    if (count('main') > 1) problems.push('more than one <main>');
    const firstFocusable = document.querySelector('a[href], button, input, select, textarea');
    if (!firstFocusable?.classList.contains('skip-link')) problems.push('the first focusable element is not the skip link');
    const skipTarget = document.querySelector('.skip-link')?.getAttribute('href');
    if (!skipTarget || !document.getElementById(skipTarget.slice(1))) problems.push('the skip link has no target');

    for (const control of document.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>('input, select, textarea')) {
      if (control instanceof HTMLInputElement && control.type === 'hidden') continue;
      const named = (control.labels?.length ?? 0) > 0 || control.getAttribute('aria-label') || control.getAttribute('aria-labelledby');
      if (!named) problems.push(`form control without a label: ${control.outerHTML.slice(0, 80)}`);
    }
    for (const image of document.querySelectorAll('img')) if (!image.hasAttribute('alt')) problems.push(`img without alt: ${image.src}`);
    for (const svg of document.querySelectorAll('svg')) {
      if (svg.closest('[aria-hidden="true"]')) continue;
      const labelled =
        svg.getAttribute('aria-label') || svg.getAttribute('aria-labelledby') || svg.querySelector(':scope > title')?.textContent?.trim();
      if (!labelled) problems.push(`svg without a title or aria-label: ${svg.outerHTML.slice(0, 80)}`);
    }
    const ids = new Map<string, number>();
    for (const element of document.querySelectorAll('[id]')) ids.set(element.id, (ids.get(element.id) ?? 0) + 1);
    for (const [id, seen] of ids) if (seen > 1) problems.push(`duplicate id ${id}`);
    for (const link of document.querySelectorAll('a'))
      if (!link.textContent?.trim() && !link.getAttribute('aria-label')) problems.push(`link without text: ${link.outerHTML.slice(0, 80)}`);

    // Contrast: the element's own text colour against the first opaque background behind it.
    const parse = (colour: string): [number, number, number, number] => {
      const parts = colour.match(/[\d.]+/g)?.map(Number) ?? [0, 0, 0, 1];
      return [parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0, parts[3] ?? 1];
    };
    const luminance = ([r, g, b]: number[]) => {
      const channel = (value: number) => {
        const c = value / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * channel(r!) + 0.7152 * channel(g!) + 0.0722 * channel(b!);
    };
    const background = (element: Element | null): number[] => {
      for (let at = element; at; at = at.parentElement) {
        const colour = parse(getComputedStyle(at).backgroundColor);
        if (colour[3] > 0.99) return colour;
      }
      return [255, 255, 255, 1];
    };
    const checked = new Set<string>();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const element = node.parentElement;
      if (!element || !node.textContent?.trim()) continue;
      if (element.closest('svg, [hidden], .visually-hidden, .skip-link')) continue;
      const box = element.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue;
      const style = getComputedStyle(element);
      const foreground = parse(style.color);
      const back = background(element);
      const key = `${foreground.join()}|${back.join()}|${style.fontSize}|${style.fontWeight}`;
      if (checked.has(key)) continue;
      checked.add(key);
      const [lighter, darker] = [luminance(foreground), luminance(back)].sort((a, b) => b - a);
      const ratio = (lighter! + 0.05) / (darker! + 0.05);
      const size = parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5))
        problems.push(
          `contrast ${ratio.toFixed(2)} for "${node.textContent.trim().slice(0, 40)}" (${style.color} on rgb(${back.slice(0, 3).join(',')}))`,
        );
    }
    return problems;
  });
}

let axeSource: Promise<string> | undefined;

/**
 * axe-core's violations (WCAG 2 A and AA rules and best practices) on the page as it stands, as "rule: target" lines
 * (three nodes a rule at most). axe's source is read once per module registry.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  axeSource ??= readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  // Evaluated through the DevTools protocol, so the UI's Content-Security-Policy (no inline scripts) does not apply.
  await page.evaluate(await axeSource);
  const results = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run: (context: Document, options: object) => Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> };
      }
    ).axe;
    return axe.run(document, { resultTypes: ['violations'] });
  });
  return results.violations.flatMap((violation) => violation.nodes.slice(0, 3).map((node) => `${violation.id}: ${node.target.join(' ')}`));
}
