import type { Section } from '../../shared/domain/document.js';
import { alignParagraphs } from '../../shared/domain/paragraph-alignment.js';
import { alignSections, headingSimilarity, type SectionAlignment } from '../../shared/domain/section-alignment.js';
import { buildDocument, type SectionSpec } from './diff-fixtures.js';

function sections(specs: SectionSpec[]): Section[] {
  return buildDocument(specs).sections;
}

/** Matches as [previous key, next key, by, moved]. */
function pairs(previous: Section[], next: Section[], alignment: SectionAlignment): Array<[string, string, string, boolean]> {
  return alignment.matches.map((match) => [previous[match.before]!.key, next[match.after]!.key, match.by, match.moved]);
}

const SPEECH_TEXT = [
  'The constitution provides for freedom of speech and of the press, but the government limited these rights.',
  'Journalists reported pressure from officials to avoid coverage of protests and corruption cases.',
  'Authorities used criminal libel charges against journalists who criticized senior officials.',
];

describe('headingSimilarity', () => {
  it('scores "Anti-Semitism" and "Antisemitism" as the same heading', () => {
    expect(headingSimilarity('Anti-Semitism', 'Antisemitism')).toBe(1);
  });

  it('scores reworded headings on shared words, ignoring connectives', () => {
    // {freedom, speech, press} and {freedom, expression, including, press}: 2 x 2 / 7.
    expect(headingSimilarity('Freedom of Speech and Press', 'Freedom of Expression, Including for the Press')).toBeCloseTo(4 / 7, 10);
    expect(headingSimilarity('Women', 'Children')).toBeLessThan(0.35);
  });
});

describe('alignSections', () => {
  it('pairs "Freedom of Speech and Press" with "Freedom of Expression, Including for the Press" on heading and text', () => {
    const previous = sections([
      { heading: 'Respect for Civil Liberties', children: [{ heading: 'Freedom of Speech and Press', paragraphs: SPEECH_TEXT }] },
    ]);
    const next = sections([
      {
        heading: 'Respect for Civil Liberties',
        children: [
          {
            heading: 'Freedom of Expression, Including for the Press',
            // One sentence of three rewritten; the rest carried over.
            paragraphs: [SPEECH_TEXT[0]!, SPEECH_TEXT[1]!, 'Authorities blocked independent news sites during the January unrest.'],
          },
        ],
      },
    ]);
    const alignment = alignSections(previous, next);
    expect(pairs(previous, next, alignment)).toEqual([
      ['respect-for-civil-liberties', 'respect-for-civil-liberties', 'key', false],
      [
        'respect-for-civil-liberties/freedom-of-speech-and-press',
        'respect-for-civil-liberties/freedom-of-expression-including-for-the-press',
        'text',
        false,
      ],
    ]);
    expect(alignment.matches[1]!.score).toBeGreaterThan(0.5);
    expect(alignment.removed).toEqual([]);
    expect(alignment.added).toEqual([]);
  });

  it('pairs reworded headings whose text also changed a lot, helped by the same parent', () => {
    const previous = sections([
      { heading: 'Respect for Civil Liberties', children: [{ heading: 'Freedom of Speech and Press', paragraphs: SPEECH_TEXT }] },
    ]);
    const next = sections([
      {
        heading: 'Respect for Civil Liberties',
        children: [
          {
            heading: 'Freedom of Expression, Including for the Press',
            paragraphs: [SPEECH_TEXT[0]!, 'Several outlets closed after tax inspections that observers called politically motivated.'],
          },
        ],
      },
    ]);
    const alignment = alignSections(previous, next);
    expect(alignment.matches).toHaveLength(2);
    expect(alignment.matches[1]).toMatchObject({ before: 1, after: 1, by: 'heading', moved: false });
  });

  it('leaves unrelated sections unpaired: one removed, one added', () => {
    const previous = sections([
      { heading: 'Disappearance', paragraphs: ['There were no reports of disappearances.'] },
      { heading: 'Women', paragraphs: ['Rape remained a problem.'] },
    ]);
    const next = sections([
      { heading: 'Property Seizure and Restitution', paragraphs: ['Courts ordered the return of seized farmland.'] },
      { heading: 'Women', paragraphs: ['Rape remained a problem.'] },
    ]);
    const alignment = alignSections(previous, next);
    expect(pairs(previous, next, alignment)).toEqual([['women', 'women', 'key', false]]);
    expect(alignment.removed).toEqual([0]);
    expect(alignment.added).toEqual([0]);
    // The removed section stood first, before anything aligned.
    expect(alignment.entries).toEqual([{ before: 0 }, { after: 0 }, { before: 1, after: 1, match: alignment.matches[0] }]);
  });

  it('aligns children of a renamed parent by their slug', () => {
    const previous = sections([
      {
        heading: 'Freedom of Speech and Press',
        paragraphs: SPEECH_TEXT,
        children: [{ heading: 'Internet Freedom', paragraphs: ['Websites were blocked.'] }],
      },
    ]);
    const next = sections([
      {
        heading: 'Freedom of Expression, Including for the Press',
        paragraphs: SPEECH_TEXT,
        children: [{ heading: 'Internet Freedom', paragraphs: ['Websites were often blocked.'] }],
      },
    ]);
    expect(pairs(previous, next, alignSections(previous, next))).toEqual([
      ['freedom-of-speech-and-press', 'freedom-of-expression-including-for-the-press', 'text', false],
      ['freedom-of-speech-and-press/internet-freedom', 'freedom-of-expression-including-for-the-press/internet-freedom', 'key', false],
    ]);
  });

  it('reports a changed parent as a move, and of two swapped siblings only the smaller one', () => {
    const long = { heading: 'Torture', paragraphs: ['Police used torture.', 'Courts ignored complaints of torture.', 'Detainees died in custody.'] };
    const short = { heading: 'Disappearance', paragraphs: ['None reported.'] };
    const previous = sections([
      { heading: 'Integrity', children: [long, short] },
      { heading: 'Liberties', children: [{ heading: 'Women', paragraphs: ['Violence remained a problem.'] }] },
    ]);
    const next = sections([
      { heading: 'Integrity', children: [short, long, { heading: 'Women', paragraphs: ['Violence remained a problem.'] }] },
      { heading: 'Liberties' },
    ]);
    const alignment = alignSections(previous, next);
    expect(pairs(previous, next, alignment)).toEqual([
      ['integrity', 'integrity', 'key', false],
      ['integrity/disappearance', 'integrity/disappearance', 'key', true],
      ['integrity/torture', 'integrity/torture', 'key', false],
      ['liberties/women', 'integrity/women', 'heading', true],
      ['liberties', 'liberties', 'key', false],
    ]);
    expect(alignment.matches.map((match) => match.parentChanged)).toEqual([false, false, false, true, false]);
  });

  it('reports one big section moved past several small ones as the one that moved', () => {
    const long = (heading: string): SectionSpec => ({
      heading,
      paragraphs: Array.from({ length: 20 }, (_, i) => `Long paragraph ${i} about ${heading}.`),
    });
    const short = (heading: string): SectionSpec => ({ heading, paragraphs: [`Short note on ${heading}.`] });
    const previous = sections([short('Women'), short('Children'), short('Antisemitism'), short('Trafficking'), long('Minorities')]);
    const next = sections([short('Women'), long('Minorities'), short('Children'), short('Antisemitism'), short('Trafficking')]);
    expect(
      alignSections(previous, next)
        .matches.filter((match) => match.moved)
        .map((match) => next[match.after]!.key),
    ).toEqual(['minorities']);
  });

  it('pairs repeated keys in order', () => {
    const previous = sections([
      { heading: 'Overview', paragraphs: ['First.'] },
      { heading: 'Overview', paragraphs: ['Second.'] },
    ]);
    const next = sections([
      { heading: 'Overview', paragraphs: ['First!'] },
      { heading: 'Overview', paragraphs: ['Second!'] },
    ]);
    expect(pairs(previous, next, alignSections(previous, next))).toEqual([
      ['overview', 'overview', 'key', false],
      ['overview-2', 'overview-2', 'key', false],
    ]);
  });

  it('stays correct when every key changed (150 sections, 1,200 paragraphs; its speed is in npm run bench)', () => {
    const words = Array.from({ length: 3000 }, (_, i) => `w${(i * 7919) % 3001}`);
    let cursor = 0;
    const sentence = (): string => {
      const out: string[] = [];
      for (let k = 0; k < 25; k++) out.push(words[cursor++ % words.length]!);
      return out.join(' ') + '.';
    };
    const specs: SectionSpec[] = Array.from({ length: 30 }, (_, top) => ({
      heading: `Part ${top} topic alpha${top}`,
      paragraphs: [sentence()],
      children: Array.from({ length: 4 }, (_, child) => ({
        heading: `Sub ${top}.${child} subject beta${top * 10 + child}`,
        paragraphs: Array.from({ length: 9 }, sentence),
      })),
    }));
    const previous = sections(specs);
    // Same text, every heading reworded beyond recognition: alignment must come from the text alone.
    const renamed = (list: SectionSpec[]): SectionSpec[] =>
      list.map((spec, index) => ({
        ...spec,
        heading: `Renamed heading number ${index} ${spec.heading.length}`,
        children: spec.children && renamed(spec.children),
      }));
    const next = sections(renamed(specs));
    expect(previous).toHaveLength(150);
    expect(previous.reduce((sum, section) => sum + section.paragraphs.length, 0)).toBe(1110);
    const alignment = alignSections(previous, next);
    expect(alignment.matches).toHaveLength(150);
    expect(alignment.matches.every((match) => match.before === match.after && match.by === 'text' && !match.moved)).toBe(true);
  });
});

describe('alignParagraphs', () => {
  it('anchors identical paragraphs and pairs similar ones inside a gap, in order', () => {
    const before = ['Alpha paragraph stays.', 'Police detained ten protesters in Almaty.', 'Beta paragraph goes away entirely.', 'Omega stays.'];
    const after = [
      'Alpha paragraph stays.',
      'A brand new paragraph about elections.',
      'Police detained twelve protesters in Almaty.',
      'Omega stays.',
      'Closing remark.',
    ];
    expect(alignParagraphs(before, after).map(({ kind, beforeIndex, afterIndex, gap }) => ({ kind, beforeIndex, afterIndex, gap }))).toEqual([
      { kind: 'added', beforeIndex: undefined, afterIndex: 1, gap: 0 },
      { kind: 'modified', beforeIndex: 1, afterIndex: 2, gap: 0 },
      { kind: 'removed', beforeIndex: 2, afterIndex: undefined, gap: 0 },
      { kind: 'added', beforeIndex: undefined, afterIndex: 4, gap: 1 },
    ]);
  });

  it('returns nothing for equal lists, and a removal and an addition for a reorder', () => {
    expect(alignParagraphs(['a b', 'c d'], ['a b', 'c d'])).toEqual([]);
    expect(alignParagraphs(['x one', 'y two'], ['y two', 'x one']).map((step) => step.kind)).toEqual(['removed', 'added']);
  });
});
