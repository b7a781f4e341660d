import { diffDocuments } from '../../shared/domain/diff-documents.js';
import { escapeHtml, renderHtml, renderJson, renderUnified } from '../../shared/domain/diff-rendering.js';
import type { RevisionDiff } from '../../shared/domain/revision-diff.js';
import { buildDocument } from './diff-fixtures.js';

const previous = buildDocument(
  [
    {
      heading: 'Torture',
      number: '1.c',
      paragraphs: ['Police used <b>torture</b> & beatings.', 'In 2022 there were 12 complaints.', 'Prisons were overcrowded.'],
    },
    { heading: 'Freedom of Speech and Press', number: '2.a', paragraphs: ['The government limited press freedom.'] },
    { heading: 'Disappearance', number: '1.b', paragraphs: ['None reported.'] },
    { heading: 'Women', paragraphs: ['Violence remained a problem.'] },
  ],
  { title: 'Report 2022', url: 'https://example.org/2022' },
);
const next = buildDocument(
  [
    {
      heading: 'Torture',
      number: '1.c',
      paragraphs: [
        'Police used <b>torture</b> & "beatings" in custody.',
        'In 2023 there were 12 complaints.',
        'Prisons were overcrowded.',
        'Courts acquitted two officers.',
      ],
    },
    { heading: 'Freedom of Expression, Including for the Press', number: '2.a', paragraphs: ['The government limited press freedom.'] },
    { heading: 'Women', paragraphs: ['Violence remained a problem.'] },
    { heading: 'Children', paragraphs: ['Child labor persisted.'] },
  ],
  { title: 'Report 2023', url: 'https://example.org/2023' },
);
const diff = diffDocuments(previous, next);

describe('renderUnified', () => {
  it('prints a git-like word diff per changed section', () => {
    expect(renderUnified(diff)).toBe(
      [
        '--- Report 2022 <https://example.org/2022>',
        '+++ Report 2023 <https://example.org/2023>',
        // Quotes count as no words; "in custody", "2023" and the new sentence's four do.
        '@@ 1.c Torture (modified, +7 -1 words)',
        ' Police used <b>torture</b> & {+"+}beatings{+" in custody+}.',
        ' In [-2022-]{+2023+} there were 12 complaints.',
        '+Courts acquitted two officers.',
        '@@ 2.a Freedom of Expression, Including for the Press (renamed, +0 -0 words) [was 2.a Freedom of Speech and Press]',
        '@@ 1.b Disappearance (removed, +0 -2 words)',
        '-None reported.',
        '@@ Children (added, +3 -0 words)',
        '+Child labor persisted.',
        '',
      ].join('\n'),
    );
  });

  it('shows unchanged sections on request, and can hide trivial ones', () => {
    const trivialOnly = diffDocuments(
      previous,
      buildDocument([
        {
          ...{ heading: 'Torture', number: '1.c' },
          paragraphs: ['Police used <b>torture</b> & beatings.', 'In 2023 there were 12 complaints.', 'Prisons were overcrowded.'],
        },
      ]),
    );
    const [torture] = trivialOnly.sections;
    expect(torture).toMatchObject({ kind: 'modified', trivial: 'numbers' });
    expect(renderUnified(trivialOnly, { hideTrivial: true })).not.toContain('@@ 1.c Torture');
    expect(renderUnified(trivialOnly)).toContain('@@ 1.c Torture (modified, +1 -1 words, trivial: numbers)');
    expect(renderUnified(diff, { includeUnchanged: true })).toContain('@@ Women (unchanged)\n');
  });

  it('notes paragraphs whose word diff was skipped, and shows them as - and + lines', () => {
    const bounded = diffDocuments(previous, next, { maxEditLength: 1 });
    expect(bounded.bounded).toEqual({ reason: 'max-edit-length', paragraphs: 2 });
    const text = renderUnified(bounded);
    expect(text).toContain('-In 2022 there were 12 complaints.\n+In 2023 there were 12 complaints.\n');
    expect(text.endsWith('# word diff skipped for 2 paragraph(s): max-edit-length\n')).toBe(true);
  });
});

describe('renderHtml', () => {
  it('renders sections with inline <del>/<ins>, escaping all text', () => {
    const html = renderHtml(diff);
    expect(html).toContain('<section class="redline-section redline-modified" data-key="torture">');
    expect(html).toContain(
      '<p class="redline-modified">Police used &lt;b&gt;torture&lt;/b&gt; &amp; <ins>&quot;</ins>beatings<ins>&quot; in custody</ins>.</p>',
    );
    expect(html).toContain('<p class="redline-modified">In <del>2022</del><ins>2023</ins> there were 12 complaints.</p>');
    expect(html).toContain('<p class="redline-added"><ins>Courts acquitted two officers.</ins></p>');
    expect(html).toContain('<p class="redline-removed"><del>None reported.</del></p>');
    expect(html).toContain('<p class="redline-origin">was 2.a Freedom of Speech and Press</p>');
    expect(html).not.toContain('<b>');
    expect(html.match(/<section /g)).toHaveLength(4);
    expect(html.match(/<\/section>/g)).toHaveLength(4);
  });

  it('escapes keys and headings too', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    const hostile = diffDocuments(buildDocument([]), buildDocument([{ heading: '<img src=x onerror=alert(1)>', paragraphs: ['x'] }]));
    const html = renderHtml(hostile);
    expect(html).toContain('<h2>&lt;img src=x onerror=alert(1)&gt; <small class="redline-meta">(added, +1 -0 words)</small></h2>');
    expect(html).not.toContain('<img');
  });

  it('renders nothing for a diff without changes', () => {
    expect(renderHtml(diffDocuments(previous, previous))).toBe('');
  });
});

describe('renderJson', () => {
  it('prints the diff with sorted keys, changed sections only by default', () => {
    const json = renderJson(diff);
    const parsed = JSON.parse(json) as RevisionDiff;
    expect(parsed.summary).toEqual(diff.summary);
    expect(parsed.sections).toEqual(diff.sections.filter((section) => section.kind !== 'unchanged'));
    expect(Object.keys(parsed)).toEqual(['from', 'sections', 'summary', 'to']);
    expect(Object.keys(parsed.sections[0]!)).toEqual([...Object.keys(parsed.sections[0]!)].sort());
    expect(json.endsWith('}\n')).toBe(true);
    expect(json).toContain('\n  "from": {\n    "title": "Report 2022",\n    "url": "https://example.org/2022"\n  },');
  });

  it('is byte-identical for equal diffs, whatever the property order', () => {
    const reversed = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(reversed);
      if (value === null || typeof value !== 'object') return value;
      return Object.fromEntries(
        Object.entries(value)
          .reverse()
          .map(([key, item]) => [key, reversed(item)]),
      );
    };
    const shuffled = reversed(diff) as RevisionDiff;
    expect(Object.keys(shuffled)).toEqual(Object.keys(diff).reverse());
    expect(renderJson(shuffled)).toBe(renderJson(diff));
    expect(JSON.parse(renderJson(diff, { includeUnchanged: true })).sections).toHaveLength(diff.sections.length);
  });
});

describe('likely counterparts', () => {
  // "Internet Freedom" dropped; a third of its text went into the (new) "Censorship" section.
  const internet = [
    'Authorities blocked 40 websites of opposition groups during the election campaign.',
    'Bloggers were fined for posts that criticized the president.',
    'The law required internet providers to store user data for two years.',
  ];
  const previous = buildDocument([
    { heading: 'Internet Freedom', paragraphs: internet },
    { heading: 'Women', paragraphs: ['Rape remained a serious problem across the country.'] },
  ]);
  const next = buildDocument([
    {
      heading: 'Censorship',
      paragraphs: [
        internet[0]!,
        'Several newspapers closed after tax inspections that observers called politically motivated.',
        'Journalists reported pressure from regional governors.',
      ],
    },
  ]);
  const diff = diffDocuments(previous, next);

  it('are in the JSON of a removed section, and only where the text went', () => {
    const removed = diff.sections.filter((section) => section.kind === 'removed');
    expect(removed.map((section) => [section.heading, section.likelyCounterpart?.heading])).toEqual([
      ['Internet Freedom', 'Censorship'],
      ['Women', undefined],
    ]);
    expect(removed[0]!.likelyCounterpart).toMatchObject({ key: 'censorship', by: 'text' });
    expect(JSON.parse(renderJson(diff)).sections[0].likelyCounterpart.key).toBe('censorship');
  });

  it('get a line in the text and the HTML renderings', () => {
    const share = Math.round(diff.sections.find((section) => section.heading === 'Internet Freedom')!.likelyCounterpart!.retained * 100);
    expect(renderUnified(diff).split('\n')).toContain(`# likely counterpart: Censorship (censorship), ${share}% of its text is there`);
    expect(renderHtml(diff)).toContain(
      `<p class="redline-counterpart">Likely counterpart: Censorship (censorship), ${share}% of its text is there</p>`,
    );
    expect(renderUnified(diff).match(/likely counterpart/g)).toHaveLength(1);
  });
});
