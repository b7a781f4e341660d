import { readFileSync } from 'node:fs';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createApiHandler } from '../../functions/api/api-handler.js';
import { BUNDLE_MODULE, buildUiClient, bundleModuleSource } from '../../functions/api/ui/client/build-ui-client.js';
import { auditChart } from '../../functions/api/ui/audit-chart.js';
import { firstChangeAnchor, renderDiffPage, type DiffPageModel } from '../../functions/api/ui/diff-view.js';
import { html, rawHtml } from '../../functions/api/ui/html.js';
import { removedSentences } from '../../functions/api/ui/removed-sentences.js';
import { cliCommand, curlCommand, SUBSCRIPTION_KINDS, subscriptionRequestFrom } from '../../functions/api/ui/subscription-form.js';
import { UI_ASSETS } from '../../functions/api/ui/ui-assets.js';
import { UiLinks } from '../../functions/api/ui/ui-links.js';
import type { AuditTable } from '../../shared/domain/audit.js';
import { diffDocuments } from '../../shared/domain/diff-documents.js';
import type { Document } from '../../shared/domain/document.js';
import { extract } from '../../shared/domain/extract.js';
import type { RevisionDiff, SectionChange } from '../../shared/domain/revision-diff.js';
import { CHANGE_KINDS } from '../../shared/domain/subscription-filter.js';
import { loadCorpusPage } from '../support/corpus.js';
import { quietObservability } from '../api/api-fixture.js';

/** The UI's server-side pieces without a browser: escaping, the diff page, removed sentences, the form, the chart. */

function section(overrides: Partial<SectionChange>): SectionChange {
  return {
    kind: 'modified',
    kinds: ['modified'],
    key: 'a',
    heading: 'A',
    level: 1,
    wordsAdded: 0,
    wordsRemoved: 0,
    significance: 0.1,
    paragraphs: [],
    ...overrides,
  };
}

function diffOf(sections: SectionChange[]): RevisionDiff {
  return {
    from: { url: 'https://example.org/a', title: 'A' },
    to: { url: 'https://example.org/a', title: 'A' },
    sections,
    summary: {
      added: 0,
      removed: 0,
      modified: sections.length,
      renamed: 0,
      moved: 0,
      unchanged: 0,
      wordsAdded: 0,
      wordsRemoved: 0,
      significance: 0.1,
      trivial: false,
    },
  };
}

function model(diff: RevisionDiff, overrides: Partial<DiffPageModel> = {}): DiffPageModel {
  return {
    mode: 'revisions',
    heading: 'A diff',
    intro: html``,
    fromLabel: '#1',
    toLabel: '#2',
    diff,
    display: { view: 'inline', hideTrivial: false, unchanged: false },
    urlFor: () => '/ui/x',
    form: { action: '/ui/x', fields: { from: 1, to: 2 } },
    alternates: [],
    ...overrides,
  };
}

describe('escaping', () => {
  it('escapes every interpolated value and keeps SafeHtml as is', () => {
    const hostile = `<script>alert("x")</script>&'`;
    expect(html`<p title="${hostile}">${hostile}${rawHtml('<b>ok</b>')}${[hostile, 1, null, undefined, false]}</p>`.value).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;<b>ok</b>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;1</p>',
    );
  });

  it('escapes report text, headings and keys in a rendered diff', () => {
    const hostile = '<img src=x onerror=alert(1)>';
    const diff = diffOf([
      section({
        key: 'k/<x>',
        heading: hostile,
        previousHeading: hostile,
        kinds: ['renamed', 'modified'],
        kind: 'renamed',
        paragraphs: [
          {
            kind: 'modified',
            before: hostile,
            after: `${hostile}!`,
            words: [
              { op: 'equal', text: hostile },
              { op: 'insert', text: '<script>' },
            ],
          },
          { kind: 'removed', before: hostile },
        ],
      }),
    ]);
    for (const view of ['inline', 'side-by-side'] as const) {
      const page = renderDiffPage(model(diff, { display: { view, hideTrivial: false, unchanged: false } })).value;
      expect(page).not.toMatch(/<img|<script/);
      expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    }
  });
});

describe('the diff page', () => {
  const diff = diffOf([
    section({
      key: 'intro',
      heading: 'Intro',
      paragraphs: [
        {
          kind: 'modified',
          before: 'It was 20.',
          after: 'It was 21.',
          words: [
            { op: 'equal', text: 'It was ' },
            { op: 'delete', text: '20' },
            { op: 'insert', text: '21' },
            { op: 'equal', text: '.' },
          ],
        },
      ],
      trivial: 'numbers',
    }),
    section({
      key: 'gone',
      heading: 'Gone',
      kind: 'removed',
      kinds: ['removed'],
      number: '2',
      paragraphs: [{ kind: 'removed', before: 'Old text.' }],
    }),
    section({
      key: 'cut',
      heading: 'Cut',
      kind: 'removed',
      kinds: ['removed'],
      paragraphs: [{ kind: 'removed', before: 'Text that went on.' }],
      likelyCounterpart: { key: 'new/place', heading: 'New <Place>', by: 'text', retained: 0.42 },
    }),
    section({ key: 'same', heading: 'Same', kind: 'unchanged', kinds: ['unchanged'] }),
  ]);

  it('renders inline and side by side with <ins>/<del>, a removed banner, trivial sections hidden on request', () => {
    const inline = renderDiffPage(model(diff)).value;
    expect(inline).toContain('<p class="para">It was <del>20</del><ins>21</ins>.</p>');
    expect(inline).toContain('Section removed: it is not in #2.');
    // A removed section whose text went elsewhere says where, escaped; one without a counterpart says nothing more.
    // By heading, never by internal key; not a link, since the counterpart is not in this diff.
    expect(inline).toContain('<p class="counterpart">Likely counterpart: “New &lt;Place&gt;” (42% of its text is there).</p>');
    expect(inline).not.toContain('new/place');
    expect(inline.match(/class="counterpart"/g)).toHaveLength(1);
    expect(inline).not.toContain('data-key="same"');
    const side = renderDiffPage(model(diff, { display: { view: 'side-by-side', hideTrivial: true, unchanged: true } })).value;
    expect(side).toContain('<tr><td>It was <del>20</del>.</td><td>It was <ins>21</ins>.</td></tr>');
    // A numbers-only change is never hidden by "Hide formatting-only changes"; whitespace or punctuation is.
    expect(side).toMatch(/<section class="diff-section kind-modified trivial" id="sec-intro"[^>]* data-numbers-only="true">/);
    expect(side).toMatch(/<li class="level-1" data-for="sec-intro">/);
    const formatting = diffOf([
      section({
        key: 'intro',
        heading: 'Intro',
        paragraphs: [{ kind: 'modified', before: 'It was  20.', after: 'It was 20.' }],
        trivial: 'whitespace',
      }),
    ]);
    const hidden = renderDiffPage(model(formatting, { display: { view: 'inline', hideTrivial: true, unchanged: false } })).value;
    expect(hidden).toMatch(/<section class="diff-section kind-modified trivial" id="sec-intro"[^>]* data-trivial="whitespace" hidden>/);
    expect(hidden).toContain('Hide formatting-only changes (1)');
    expect(side).toContain('data-key="same"');
  });

  it('marks a paragraph moved to another section as moved at both ends, linked, and links a removed section to its counterpart', () => {
    const moved = 'The law required a government-provided attorney when the suspect was indigent.';
    const diff = diffOf([
      section({
        key: 'old/arrest',
        heading: 'Arrest Procedures',
        kind: 'removed',
        kinds: ['removed'],
        paragraphs: [
          { kind: 'removed', before: moved },
          { kind: 'removed', before: 'A sentence cut for good.' },
        ],
        likelyCounterpart: { key: 'new/detention', heading: 'Prolonged Detention', by: 'text', retained: 0.97 },
      }),
      section({
        key: 'new/detention',
        heading: 'Prolonged Detention',
        kind: 'modified',
        kinds: ['modified'],
        paragraphs: [{ kind: 'added', after: ` ${moved.replace('law', 'Law')}` }],
      }),
    ]);
    for (const view of ['inline', 'side-by-side'] as const) {
      const page = renderDiffPage(model(diff, { display: { view, hideTrivial: false, unchanged: false } })).value;
      expect(page).toMatch(
        /id="moved-1-from" data-move="1" data-move-end="from"><span class="badge moved">moved<\/span> <span class="moved-text">The law required/,
      );
      expect(page).toContain('<a href="#moved-1-to" class="move-link">Moved to “Prolonged Detention”</a>');
      expect(page).toContain('<a href="#moved-1-from" class="move-link">Moved from “Arrest Procedures”</a>');
      expect(page).toContain('id="moved-1-to"');
      // The moved text is neither deleted nor inserted; the paragraph cut for good still is.
      expect(page).not.toMatch(/<(del|ins)>[^<]*government-provided attorney/);
      expect(page).toContain('<del>A sentence cut for good.</del>');
      expect(page).toContain(
        '<p class="counterpart">Likely counterpart: <a href="#sec-new.detention">Prolonged Detention</a> (97% of its text is there).</p>',
      );
    }
  });

  it('renders a 300 KB report diffed against a copy with every paragraph edited, its output linear in the diff', () => {
    const before = extract(loadCorpusPage('kazakhstan', 2020));
    const after: Document = {
      ...before,
      sections: before.sections.map((one) => ({
        ...one,
        paragraphs: one.paragraphs.map((paragraph) => ({ ...paragraph, text: `${paragraph.text} Amended.` })),
      })),
    };
    const full = diffDocuments(before, after);
    const paragraphs = full.sections.reduce((sum, one) => sum + one.paragraphs.length, 0);
    expect(paragraphs).toBeGreaterThan(250);
    const half = { ...full, sections: full.sections.slice(0, Math.floor(full.sections.length / 2)) };
    // Sizes, not times (about 10 ms here): what the renderer produces is the same on any machine.
    const render = (target: RevisionDiff) => ({
      size: renderDiffPage(model(target, { display: { view: 'side-by-side', hideTrivial: false, unchanged: true } })).value.length,
    });
    const whole = render(full);
    const part = render(half);
    expect(whole.size).toBeLessThan(4 * 400_000);
    // Output (and work) grows with the diff, not with its square.
    expect(whole.size / part.size).toBeLessThan(3);
  });
});

describe('the edition comparison sidebar', () => {
  // Kazakhstan 2023 -> 2024 from the embedded pages: sections removed, added, renamed and moved.
  const diff = diffDocuments(extract(loadCorpusPage('kazakhstan', 2023)), extract(loadCorpusPage('kazakhstan', 2024)));
  const display = { view: 'inline' as const, hideTrivial: false, unchanged: false };
  const page = renderDiffPage(model(diff, { mode: 'editions', fromLabel: '2023 edition', toLabel: '2024 edition', display })).value;
  const nav = page.slice(page.indexOf('<nav class="section-nav'), page.indexOf('</nav>', page.indexOf('<nav class="section-nav')));
  const group = (id: string) => {
    const start = nav.indexOf(`<h3 id="${id}">`);
    return start === -1 ? '' : nav.slice(start, nav.indexOf('</ol>', start));
  };
  const hrefs = (fragment: string) => [...fragment.matchAll(/href="#([^"]+)"/g)].map((match) => match[1]);
  const anchorsOf = (kind: string) =>
    [...page.matchAll(new RegExp(`<section [^>]*id="([^"]+)"[^>]* data-kind="${kind}"`, 'g'))].map((match) => match[1]);

  it('keeps the removed 2023 sections out of the 2024 outline, in a group of their own', () => {
    const removed = anchorsOf('removed');
    expect(removed.length).toBeGreaterThan(10);
    expect(hrefs(group('nav-removed'))).toEqual(removed);
    expect(group('nav-removed')).toContain(`Removed (2023 edition) <span class="muted">(${removed.length})</span>`);
    const outline = nav.slice(nav.indexOf('<details class="outline">'), nav.indexOf('</details>'));
    expect(outline).toContain('<summary>Outline of the 2024 edition');
    expect(hrefs(outline).length).toBe(diff.sections.filter((section) => section.kind !== 'removed' && section.kind !== 'unchanged').length);
    expect(hrefs(outline).filter((href) => removed.includes(href))).toEqual([]);
  });

  it('groups added and renamed or moved sections, old heading -> new heading', () => {
    expect(hrefs(group('nav-added'))).toEqual(anchorsOf('added'));
    const relocated = diff.sections.filter(
      (section) => section.kind !== 'removed' && (section.kinds.includes('renamed') || section.kinds.includes('moved')),
    );
    expect(relocated.length).toBeGreaterThan(5);
    expect(hrefs(group('nav-relocated'))).toHaveLength(relocated.length);
    expect(group('nav-relocated')).toContain(
      '<span class="old-name">1.c Torture and Other Cruel, Inhuman, or Degrading Treatment or Punishment, and Other Related Abuses</span>' +
        ' → 3.a Torture and Cruel',
    );
  });

  it('puts the changed sections first, the first change first, for the skip link', () => {
    const first = firstChangeAnchor(diff, display);
    expect(first).toBe(page.match(/<section [^>]*id="([^"]+)"/)![1]);
    expect(nav.indexOf('<h3 id="nav-changed">')).toBeLessThan(nav.indexOf('<h3 id="nav-removed">'));
    expect(hrefs(nav)[0]).toBe(first);
    // Hidden formatting-only sections are skipped by the skip link.
    const formatting = diffOf([section({ key: 'spaces', heading: 'Spaces', trivial: 'whitespace' }), section({ key: 'real', heading: 'Real' })]);
    expect(firstChangeAnchor(formatting, { ...display, hideTrivial: true })).toBe('sec-real');
    expect(firstChangeAnchor(formatting, display)).toBe('sec-spaces');
    expect(firstChangeAnchor(diffOf([section({ kind: 'unchanged', kinds: ['unchanged'] })]), display)).toBeUndefined();
  });
});

describe('removed sentences', () => {
  it('lists sentences cut from paragraphs that remain, not edited, moved or wholly removed ones', () => {
    const diff = diffOf([
      section({
        key: 'one',
        paragraphs: [
          {
            kind: 'modified',
            before: 'The minister resigned in May. Protests continued for weeks. Officials denied the reports.',
            after: 'The minister resigned in June. Officials denied the reports.',
            words: [],
          },
          { kind: 'removed', before: 'A paragraph removed whole.' },
        ],
      }),
      section({
        key: 'two',
        paragraphs: [
          { kind: 'modified', before: 'This sentence moves elsewhere. Kept.', after: 'Kept.', words: [] },
          { kind: 'added', after: 'New text. This sentence moves elsewhere.' },
        ],
      }),
    ]);
    const { bySection, total } = removedSentences(diff);
    expect([...bySection.entries()]).toEqual([[0, ['Protests continued for weeks.']]]);
    expect(total).toBe(1);
  });
});

describe('the subscribe form', () => {
  const fields = (entries: [string, string][]) => new URLSearchParams(entries);

  it('offers the kinds the API accepts', () => {
    expect([...SUBSCRIPTION_KINDS]).toEqual([...CHANGE_KINDS]);
  });

  it('turns fields into the POST /subscriptions body, and names bad fields', () => {
    const result = subscriptionRequestFrom(
      fields([
        ['deliveryType', 'webhook'],
        ['webhookUrl', ' https://hooks.example.org/x '],
        ['series', 'hrr~kazakhstan, hrr/china'],
        ['editions', '2023 2024'],
        ['terms', 'torture, climate change\nLGBT'],
        ['kinds', 'removed'],
        ['kinds', 'renamed'],
        ['minSignificance', '0.25'],
        ['includeTrivial', 'true'],
        ['email', 'ignored@example.org'],
      ]),
    );
    expect(result).toEqual({
      errors: [],
      body: {
        delivery: { type: 'webhook', url: 'https://hooks.example.org/x' },
        filters: {
          series: ['hrr/kazakhstan', 'hrr/china'],
          editions: [2023, 2024],
          terms: ['torture', 'climate change', 'LGBT'],
          kinds: ['removed', 'renamed'],
          minSignificance: 0.25,
          includeTrivial: true,
        },
      },
    });
    expect(cliCommand(result.body!)).toBe(
      "redline subscribe --webhook https://hooks.example.org/x --series hrr/kazakhstan --series hrr/china --edition 2023 --edition 2024 --kind removed --kind renamed --min-significance 0.25 --term torture --term 'climate change' --term LGBT --include-trivial",
    );
    expect(curlCommand('http://127.0.0.1:4381/subscriptions', result.body!)).toContain(`--data '{"filters":`);
    expect(
      subscriptionRequestFrom(
        fields([
          ['deliveryType', 'email'],
          ['editions', 'x'],
          ['minSignificance', '2'],
        ]),
      ).errors,
    ).toEqual(['email: give an address', 'editions: whole numbers (years), separated by commas', 'minSignificance: a number from 0 to 1']);
    // Every kind ticked is no kind filter.
    const all = subscriptionRequestFrom(
      fields([['deliveryType', 'email'], ['email', 'a@example.org'], ...SUBSCRIPTION_KINDS.map((kind): [string, string] => ['kinds', kind])]),
    );
    expect(all.body!.filters).toEqual({});
  });
});

describe('the audit chart', () => {
  it('draws one bar per edition and term with its exact rate, heights to scale, with a title and description', () => {
    const table: AuditTable = {
      by: 'edition',
      wholeWord: false,
      terms: ['torture', 'press'],
      rows: [
        { edition: 2023, reports: 1, wordCount: 1000, counts: { torture: 3, press: 1 }, rates: { torture: 300, press: 100 } },
        { edition: 2024, reports: 1, wordCount: 3000, counts: { torture: 1, press: 0 }, rates: { torture: 33.333333333333336, press: 0 } },
      ],
    };
    const svg = auditChart(table, { id: 'c', caption: 'Rates' }).value;
    const bars = [...svg.matchAll(/<rect class="bar"[^>]* height="([\d.]+)"[^>]* data-term="(\w+)" data-edition="(\d+)" data-rate="([\d.]+)"/g)].map(
      (match) => ({
        height: Number(match[1]),
        term: match[2],
        edition: Number(match[3]),
        rate: Number(match[4]),
      }),
    );
    expect(bars.map(({ term, edition, rate }) => [term, edition, rate])).toEqual([
      ['torture', 2023, 300],
      ['press', 2023, 100],
      ['torture', 2024, 33.333333333333336],
      ['press', 2024, 0],
    ]);
    expect(bars[0]!.height / bars[1]!.height).toBeCloseTo(3, 2);
    expect(bars[3]!.height).toBe(0);
    expect(svg).toMatch(/<svg class="chart" id="c" role="img" aria-labelledby="c-title c-desc"/);
    expect(svg).toContain('<title id="c-title">Rates</title>');
  });
});

describe('the UI routes in the api handler', () => {
  // Routes that read no store: the subscribe form, the UI's 404, the assets and the redirect.
  const handler = createApiHandler({ api: { iam: true } } as never, quietObservability());
  const call = async (
    path: string,
    stage = '$default',
    using = handler,
  ): Promise<APIGatewayProxyStructuredResultV2 & { headers: Record<string, string> }> => {
    const event = {
      version: '2.0',
      routeKey: '$default',
      rawPath: path,
      rawQueryString: '',
      headers: { host: 'api.example.org' },
      isBase64Encoded: false,
      requestContext: {
        domainName: 'api.example.org',
        stage,
        http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
        requestId: 'r',
        routeKey: '$default',
        time: '',
        timeEpoch: 0,
        accountId: '1',
        apiId: 'a',
        domainPrefix: 'api',
      },
    } as unknown as APIGatewayProxyEventV2;
    return (await using(event, {} as never)) as never;
  };

  it('serves pages with a content security policy, assets as immutable, and HTML 404s', async () => {
    const form = await call('/ui/subscribe');
    expect(form.statusCode).toBe(200);
    expect(form.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(form.headers['content-security-policy']).toContain("script-src 'self'");
    expect(form.body).toContain('authorizes subscriptions with IAM');
    // Under `redline serve` without a token (no IAM in front): no claim of IAM, and what to do instead.
    const served = createApiHandler({ api: {} } as never, quietObservability());
    const plain = await call('/ui/subscribe', '$default', served);
    expect(plain.body).not.toContain('IAM');
    expect(plain.body).toContain('started without an API token');
    expect(form.body).toContain(`<script type="module" src="/ui/assets/${UI_ASSETS.script.name}"></script>`);

    const script = await call(`/ui/assets/${UI_ASSETS.script.name}`);
    expect(script.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(script.body).toBe(UI_ASSETS.script.body);
    expect((await call('/ui/assets/ui-000000000000.js')).statusCode).toBe(404);

    const missing = await call('/ui/no/such/view');
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(missing.body).toContain('<h1>Not found</h1>');

    expect(await call('/')).toMatchObject({ statusCode: 302, headers: { location: '/ui' } });
  });

  it('prefixes links with the stage on a named API Gateway stage', async () => {
    const page = await call('/ui/subscribe', 'prod');
    expect(page.body).toContain(`href="/prod/ui/assets/${UI_ASSETS.css.name}"`);
    expect(page.body).toContain('data-endpoint="/prod/subscriptions"');
    expect(new UiLinks('/prod').compare('hrr/kazakhstan', 2023, 2024, { view: 'side-by-side' })).toBe(
      '/prod/ui/series/hrr~kazakhstan/compare?from=2023&to=2024&view=side-by-side',
    );
  });
});

describe('the browser script', () => {
  it('is bundled from client/ui-client.ts (run npm run build:ui after editing it)', async () => {
    expect(readFileSync(BUNDLE_MODULE, 'utf8')).toBe(bundleModuleSource(await buildUiClient()));
  });
});
