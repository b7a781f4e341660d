import type { Section } from '../../shared/domain/document.js';
import type { PairEvidence } from '../../shared/domain/section-evidence.js';
import {
  AlignmentState,
  findLikelyCounterparts,
  gatherEvidence,
  judgeCandidate,
  pairByIdentity,
  pairByKey,
  pairBySimilarity,
  pairBySlug,
  pairByWeakEvidence,
  relabelSlugPairs,
  type AlignmentPrior,
  type CandidateContext,
} from '../../shared/domain/section-alignment.js';
import { markMoves, mergeOrder } from '../../shared/domain/section-order.js';
import { buildDocument, type SectionSpec } from './diff-fixtures.js';

/** Each phase of alignSections on its own, on small outlines. */
function stateOf(previous: SectionSpec[], next: SectionSpec[]): AlignmentState {
  return new AlignmentState(buildDocument(previous).sections, buildDocument(next).sections);
}

/** The pairs made so far, as "previous key -> next key". */
function pairs(state: AlignmentState): string[] {
  const found: string[] = [];
  state.pairOfBefore.forEach((j, i) => {
    if (j !== -1) found.push(`${(state.previous[i] as Section).key} -> ${(state.next[j] as Section).key}`);
  });
  return found;
}

/** Sentences of words of their own (no shared shingles between different topics). */
function sentences(topic: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${Array.from({ length: 12 }, (_, k) => `${topic}${i}w${k}`).join(' ')}.`);
}

const NO_CONTEXT: CandidateContext = { sameParent: false, sameNumber: false, prior: 0, dropped: 0 };

function evidence(overrides: Partial<PairEvidence>): PairEvidence {
  return { heading: 0, headingCover: 0, text: 0, contained: 0, retained: 0, shared: 0, carried: 0, bothEmpty: false, ...overrides };
}

describe('pairByKey', () => {
  it('pairs equal keys, a repeated key in order, and nothing else', () => {
    const state = stateOf(
      [{ heading: 'Overview' }, { heading: 'Overview' }, { heading: 'Women' }, { heading: 'Torture' }],
      [{ heading: 'Torture' }, { heading: 'Overview' }, { heading: 'Overview' }, { heading: 'Children' }],
    );
    pairByKey(state);
    expect(pairs(state)).toEqual(['overview -> overview', 'overview-2 -> overview-2', 'torture -> torture']);
    expect(state.how[1]).toEqual({ by: 'key', score: 1 });
  });
});

describe('pairBySlug', () => {
  it('pairs the same slug under parents already aligned, and only there', () => {
    const state = stateOf(
      [
        { heading: 'Civil Liberties', children: [{ heading: 'Internet Freedom' }] },
        { heading: 'Labor', children: [{ heading: 'Child Labor' }] },
      ],
      [
        { heading: 'Liberty', children: [{ heading: 'Internet Freedom' }] },
        { heading: 'Work', children: [{ heading: 'Child Labor' }] },
      ],
    );
    state.pair(0, 0, 'heading', 0.5);
    pairBySlug(state);
    expect(pairs(state)).toEqual(['civil-liberties -> liberty', 'civil-liberties/internet-freedom -> liberty/internet-freedom']);
  });
});

describe('pairByIdentity', () => {
  it('pairs a section moved under a new parent before the new parent can take its place', () => {
    const text = sentences('religion', 4);
    const state = stateOf(
      [
        { heading: 'Freedom of Religion', paragraphs: text },
        { heading: 'Women', paragraphs: sentences('women', 2) },
      ],
      [
        { heading: 'Liberty', children: [{ heading: 'Religious Freedom', paragraphs: text }] },
        { heading: 'Women', paragraphs: sentences('women', 2) },
      ],
    );
    pairByKey(state);
    pairByIdentity(state, gatherEvidence(state));
    expect(pairs(state)).toEqual(['freedom-of-religion -> liberty/religious-freedom', 'women -> women']);
    expect(state.how[1]).toMatchObject({ by: 'text', score: 1 });
  });

  it('leaves short or different texts to the later phases', () => {
    const state = stateOf([{ heading: 'Disappearance', paragraphs: ['None reported.'] }], [{ heading: 'Abduction', paragraphs: ['None reported.'] }]);
    pairByIdentity(state, gatherEvidence(state));
    expect(pairs(state)).toEqual([]);
  });

  it('reports a pair whose parents end up aligned under the same slug as a key pair (relabelSlugPairs)', () => {
    const speech = sentences('speech', 3);
    const internet = sentences('internet', 3);
    const state = stateOf(
      [{ heading: 'Freedom of Speech', paragraphs: speech, children: [{ heading: 'Internet Freedom', paragraphs: internet }] }],
      [{ heading: 'Freedom of Expression', paragraphs: speech, children: [{ heading: 'Internet Freedom', paragraphs: internet }] }],
    );
    pairByIdentity(state, gatherEvidence(state));
    expect(state.how[1]).toMatchObject({ by: 'heading' });
    relabelSlugPairs(state);
    expect(state.how[1]).toEqual({ by: 'key', score: 1 });
  });
});

describe('judgeCandidate', () => {
  it('accepts by heading, text or their average, and tells which weighed more', () => {
    expect(judgeCandidate(evidence({ heading: 0.9 }), NO_CONTEXT)).toMatchObject({ rule: 'heading', by: 'heading', score: 0.9 });
    expect(judgeCandidate(evidence({ heading: 0.1, text: 0.6 }), NO_CONTEXT)).toMatchObject({ rule: 'text', by: 'text', score: 0.6 });
    expect(judgeCandidate(evidence({ heading: 0.5, text: 0.42 }), NO_CONTEXT)).toMatchObject({ rule: 'combined' });
    expect(judgeCandidate(evidence({ heading: 0.5, text: 0.3 }), NO_CONTEXT)).toBeUndefined();
    // The same parent adds 0.1.
    expect(judgeCandidate(evidence({ heading: 0.5, text: 0.3 }), { ...NO_CONTEXT, sameParent: true })).toMatchObject({ rule: 'combined' });
    // Two parents without text of their own are judged on the heading, which must clear 0.15 more.
    expect(judgeCandidate(evidence({ heading: 0.55, bothEmpty: true }), NO_CONTEXT)).toBeUndefined();
    expect(judgeCandidate(evidence({ heading: 0.62, bothEmpty: true }), NO_CONTEXT)).toMatchObject({ rule: 'combined' });
  });

  it('accepts containment only with agreeing headings, and only among the weak rules', () => {
    const renamedAndCut = evidence({ heading: 0.5, headingCover: 1, text: 0.3, contained: 0.8 });
    expect(judgeCandidate(renamedAndCut, NO_CONTEXT)).toMatchObject({ rule: 'containment' });
    expect(judgeCandidate(renamedAndCut, NO_CONTEXT, undefined, 'strong')).toBeUndefined();
    // A paragraph of "Women" in "Coercion in Population Control": contained, but the headings share nothing.
    expect(judgeCandidate(evidence({ heading: 0.1, contained: 1 }), NO_CONTEXT)).toBeUndefined();
    // A shared stem ("Children" / "Child Marriage", bigram Dice 0.42) is not agreement.
    expect(judgeCandidate(evidence({ heading: 0.42, contained: 1 }), NO_CONTEXT)).toBeUndefined();
  });

  it('accepts carried-over paragraphs with agreeing headings in the same place of the outline', () => {
    const rewritten = evidence({ heading: 0.28, headingCover: 0.5, text: 0.07, contained: 0.09, carried: 0.4 });
    expect(judgeCandidate(rewritten, NO_CONTEXT)).toBeUndefined();
    expect(judgeCandidate(rewritten, { ...NO_CONTEXT, sameNumber: true })).toMatchObject({ rule: 'continuity' });
    expect(judgeCandidate(rewritten, { ...NO_CONTEXT, sameParent: true })).toMatchObject({ rule: 'continuity' });
    expect(judgeCandidate({ ...rewritten, carried: 0.2 }, { ...NO_CONTEXT, sameNumber: true })).toBeUndefined();
  });

  it('takes the edition map only with evidence of the pages’ own, and lets a map that saw the section dropped turn the weak rules off', () => {
    const mapped = { ...NO_CONTEXT, prior: 0.9 };
    expect(judgeCandidate(evidence({ headingCover: 0.5 }), mapped)).toMatchObject({ rule: 'edition-map', prior: 0.9 });
    expect(judgeCandidate(evidence({ contained: 0.2 }), mapped)).toMatchObject({ rule: 'edition-map' });
    // Nothing in common: the prior alone never pairs.
    expect(judgeCandidate(evidence({ heading: 0.2, text: 0.02, contained: 0.05 }), mapped)).toBeUndefined();
    expect(judgeCandidate(evidence({ headingCover: 0.5 }), { ...mapped, prior: 0.4 })).toBeUndefined();
    const renamedAndCut = evidence({ heading: 0.5, headingCover: 1, text: 0.3, contained: 0.8 });
    expect(judgeCandidate(renamedAndCut, { ...NO_CONTEXT, dropped: 0.8 })).toBeUndefined();
    // Strong evidence stands whatever the map says.
    expect(judgeCandidate(evidence({ heading: 0.1, text: 0.7 }), { ...NO_CONTEXT, dropped: 1 })).toMatchObject({ rule: 'text' });
  });

  it('ranks a pair the map backs above an equal one it does not', () => {
    const found = evidence({ heading: 0.6, text: 0.6 });
    expect(judgeCandidate(found, { ...NO_CONTEXT, prior: 1 })!.rank).toBeGreaterThan(judgeCandidate(found, NO_CONTEXT)!.rank);
  });
});

describe('pairBySimilarity and pairByWeakEvidence', () => {
  // A section renamed, cut to a fifth and moved under a new parent (containment only), and a renamed parent whose
  // child keeps its slug.
  const press = sentences('press', 15);
  const previous: SectionSpec[] = [
    { heading: 'Freedom of Expression, Including for Members of the Press and Other Media', paragraphs: press },
    { heading: 'Civil Liberties', children: [{ heading: 'Internet Freedom', paragraphs: sentences('internet', 2) }] },
  ];
  const next: SectionSpec[] = [
    { heading: 'Liberty', children: [{ heading: 'Freedom of the Press', paragraphs: press.slice(0, 3) }] },
    { heading: 'Civil Liberty', children: [{ heading: 'Internet Freedom', paragraphs: sentences('internet', 2) }] },
  ];

  it('pairs on strong evidence in rounds by depth, children of a renamed parent by slug, and leaves the weak pair', () => {
    const state = stateOf(previous, next);
    pairBySimilarity(state, gatherEvidence(state));
    expect(pairs(state)).toEqual(['civil-liberties -> civil-liberty', 'civil-liberties/internet-freedom -> civil-liberty/internet-freedom']);
  });

  it('then pairs the renamed, cut section on containment', () => {
    const state = stateOf(previous, next);
    const found = gatherEvidence(state);
    pairBySimilarity(state, found);
    pairByWeakEvidence(state, found);
    expect(pairs(state)).toContain('freedom-of-expression-including-for-members-of -> liberty/freedom-of-the-press');
  });

  it('leaves it removed when the edition map saw it dropped in most series', () => {
    const dropped: AlignmentPrior = { pairing: () => 0, dropped: (section) => (section.heading.startsWith('Freedom of Expression') ? 1 : 0) };
    const state = stateOf(previous, next);
    const found = gatherEvidence(state);
    pairBySimilarity(state, found, { prior: dropped });
    pairByWeakEvidence(state, found, { prior: dropped });
    expect(pairs(state)).toHaveLength(2);
  });
});

describe('markMoves and mergeOrder', () => {
  it('marks a changed parent and the smaller of two swapped siblings as moved, and places removed sections', () => {
    const previous = buildDocument([
      {
        heading: 'A',
        children: [
          { heading: 'Long', paragraphs: sentences('long', 5) },
          { heading: 'Short', paragraphs: ['x'] },
        ],
      },
      { heading: 'Gone' },
      { heading: 'B', children: [{ heading: 'Leaf' }] },
    ]).sections;
    const next = buildDocument([
      {
        heading: 'A',
        children: [{ heading: 'Short', paragraphs: ['x'] }, { heading: 'Long', paragraphs: sentences('long', 5) }, { heading: 'Leaf' }],
      },
      { heading: 'B' },
      { heading: 'New' },
    ]).sections;
    const state = new AlignmentState(previous, next);
    pairByKey(state);
    state.pair(5, 3, 'heading', 1); // b/leaf -> a/leaf
    const matches = markMoves(state);
    expect(matches.map((match) => [next[match.after]!.key, match.moved, match.parentChanged])).toEqual([
      ['a', false, false],
      ['a/short', true, false],
      ['a/long', false, false],
      ['a/leaf', true, true],
      ['b', false, false],
    ]);
    const order = mergeOrder({ before: previous.length, after: next.length }, matches);
    expect(order.removed.map((i) => previous[i]!.key)).toEqual(['gone']);
    expect(order.added.map((j) => next[j]!.key)).toEqual(['new']);
    // "Gone" follows "A/Long", the last previous section before it that stayed in place.
    expect(order.entries.map((entry) => (entry.after !== undefined ? next[entry.after]!.key : `-${previous[entry.before!]!.key}`))).toEqual([
      'a',
      'a/short',
      'a/long',
      '-gone',
      'a/leaf',
      'b',
      'new',
    ]);
  });
});

describe('findLikelyCounterparts', () => {
  it('names where a removed section’s text went, and nothing for a section whose text went nowhere', () => {
    const internet = sentences('internet', 6);
    const state = stateOf(
      [
        { heading: 'Internet Freedom', paragraphs: internet },
        { heading: 'Persons with Disabilities', paragraphs: sentences('disability', 5) },
      ],
      [{ heading: 'Censorship', paragraphs: [...internet.slice(0, 2), ...sentences('censorship', 8)] }],
    );
    const found = gatherEvidence(state);
    // Nothing pairs (a third of Internet Freedom is a fifth of Censorship, and the headings share nothing).
    pairBySimilarity(state, found);
    pairByWeakEvidence(state, found);
    expect(pairs(state)).toEqual([]);
    const counterparts = findLikelyCounterparts(state, found, [0, 1]);
    expect(counterparts).toHaveLength(1);
    expect(counterparts[0]).toMatchObject({ before: 0, after: 0, by: 'text' });
    expect(counterparts[0]!.retained).toBeGreaterThan(0.3);
    expect(counterparts[0]!.retained).toBeLessThan(0.4);
  });

  it('names what the edition map pairs a removed section with when the pages relate them at all', () => {
    const state = stateOf(
      [{ heading: 'Antisemitism', paragraphs: sentences('old', 3) }],
      [{ heading: 'Acts of Antisemitism', paragraphs: sentences('new', 3) }],
    );
    const prior: AlignmentPrior = { pairing: () => 0.8, dropped: () => 0 };
    expect(findLikelyCounterparts(state, gatherEvidence(state), [0], { prior })).toEqual([
      { before: 0, after: 0, by: 'edition-map', retained: 0, score: 0.8 },
    ]);
    expect(findLikelyCounterparts(state, gatherEvidence(state), [0])).toEqual([]);
  });
});
