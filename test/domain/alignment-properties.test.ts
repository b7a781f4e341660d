import fc from 'fast-check';
import type { Document, Section } from '../../shared/domain/document.js';
import { extract } from '../../shared/domain/extract.js';
import { alignSections, type SectionAlignment } from '../../shared/domain/section-alignment.js';
import { CORPUS_COUNTRIES, loadCorpusPage, type CorpusCountry } from '../support/corpus.js';
import { buildDocument, type SectionSpec } from './diff-fixtures.js';

/**
 * Property tests on real sample pages rewritten the ways real archives differ (the 2024 template change did all of
 * them): a section renamed, cut and moved under a new parent; a section split into retitled sub-sections that take
 * all its text; sibling sections gathered under a new parent named after them; headings reworded. Alignment must
 * come out the same as for the original: every section of the page paired with its rewritten self, and between two
 * real editions, every pair the original alignment made still made. Runs are bounded by count, with a fixed seed.
 */
const RUNS = 25;
const SEED = 20_241_101;
const YEARS = [2017, 2020, 2022, 2023] as const;

interface Node {
  /** Index of the section in the page it came from; -1 for a section the rewrite added. */
  id: number;
  heading: string;
  number?: string;
  paragraphs: string[];
  children: Node[];
}

const pages = new Map<string, Document>();
function page(country: CorpusCountry, year: number): Document {
  const id = `${country}/${year}`;
  let document = pages.get(id);
  if (!document) pages.set(id, (document = extract(loadCorpusPage(country, year))));
  return document;
}

function treeOf(document: Document): Node[] {
  const roots: Node[] = [];
  const byKey = new Map<string, Node>();
  document.sections.forEach((section, id) => {
    const node: Node = { id, heading: section.heading, paragraphs: section.paragraphs.map((paragraph) => paragraph.text), children: [] };
    if (section.number !== undefined) node.number = section.number;
    const parent = section.parentKey !== undefined ? byKey.get(section.parentKey) : undefined;
    (parent ? parent.children : roots).push(node);
    if (!byKey.has(section.key)) byKey.set(section.key, node);
  });
  return roots;
}

/** The rewritten page, and per section the id of the original section it is (-1 for an added one). */
function documentOf(tree: Node[]): { document: Document; ids: number[] } {
  const ids: number[] = [];
  const spec = (node: Node): SectionSpec => {
    ids.push(node.id);
    const built: SectionSpec = { heading: node.heading, paragraphs: node.paragraphs };
    if (node.number !== undefined) built.number = node.number;
    if (node.children.length > 0) built.children = node.children.map(spec);
    return built;
  };
  return { document: buildDocument(tree.map(spec)), ids };
}

function* walk(nodes: Node[], parent?: Node): Iterable<{ node: Node; siblings: Node[]; parent: Node | undefined }> {
  for (const node of nodes) {
    yield { node, siblings: nodes, parent };
    yield* walk(node.children, node);
  }
}

function words(node: Node): number {
  return node.paragraphs.join(' ').split(/\s+/).filter(Boolean).length;
}

const clone = (tree: Node[]): Node[] => structuredClone(tree);
/** Headings of words no report section uses. */
const freshHeading = fc
  .array(fc.constantFrom('Meridian', 'Lattice', 'Harbor', 'Cobalt', 'Juniper', 'Tundra', 'Quorum', 'Beacon'), { minLength: 2, maxLength: 3 })
  .map((list) => list.join(' '));

/** Pairs as (original section of the first page -> original id in the second page). */
function pairsOf(alignment: SectionAlignment, ids?: number[]): Map<number, number> {
  return new Map(alignment.matches.map((match) => [match.before, ids ? (ids[match.after] as number) : match.after]));
}

/** Every section of the page paired with its rewritten self; sections the rewrite added are added. */
function expectSelfAlignment(original: Document, rewritten: { document: Document; ids: number[] }): SectionAlignment {
  const alignment = alignSections(original.sections, rewritten.document.sections);
  const expected = new Map(original.sections.map((_, i) => [i, i]));
  expect(pairsOf(alignment, rewritten.ids)).toEqual(expected);
  expect(alignment.added.map((j) => rewritten.ids[j])).toEqual(rewritten.ids.filter((id) => id === -1));
  return alignment;
}

const target = fc.record({ country: fc.constantFrom(...CORPUS_COUNTRIES), year: fc.constantFrom(...YEARS), pick: fc.nat(), at: fc.nat() });

/** Word 3-shingle Dice of two sections' own text (an independent measure, for the between-editions conditions). */
function textDice(a: Section, b: Section): { dice: number; size: number } {
  const shingles = (section: Section) => {
    const found = new Set<string>();
    for (const paragraph of section.paragraphs) {
      const list = paragraph.text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
      for (let i = 0; i + 2 < list.length; i++) found.add(list.slice(i, i + 3).join(' '));
    }
    return found;
  };
  const x = shingles(a);
  const y = shingles(b);
  const shared = [...x].filter((shingle) => y.has(shingle)).length;
  return { dice: x.size + y.size === 0 ? 0 : (2 * shared) / (x.size + y.size), size: Math.min(x.size, y.size) };
}

/**
 * Between two real editions: every pair the original alignment made is made again with the later edition rewritten,
 * except a pair of a rewritten section that the page's text could not carry (its text changed a lot between the
 * editions: then its heading was the evidence, and the rewrite took it).
 */
function expectEditionAlignment(
  country: CorpusCountry,
  year: number,
  rewrite: (tree: Node[]) => { tree: Node[]; touched: Set<number> } | undefined,
): void {
  const previous = page(country, year - 1);
  const next = page(country, year);
  const result = rewrite(clone(treeOf(next)));
  if (!result) return;
  const rewritten = documentOf(result.tree);
  const before = pairsOf(alignSections(previous.sections, next.sections));
  const after = pairsOf(alignSections(previous.sections, rewritten.document.sections), rewritten.ids);
  for (const [i, j] of before) {
    if (result.touched.has(j)) {
      const { dice, size } = textDice(previous.sections[i] as Section, next.sections[j] as Section);
      if (dice < 0.7 || size < 20) continue;
    }
    expect([i, after.get(i)]).toEqual([i, j]);
  }
}

/** A section with text of its own (at least `minWords`), whose own paragraphs no other section repeats. */
function pickSection(
  tree: Node[],
  pick: number,
  minWords: number,
  leaf = false,
): { node: Node; siblings: Node[]; parent: Node | undefined } | undefined {
  const all = [...walk(tree)];
  const texts = new Map<string, number>();
  for (const { node } of all) for (const paragraph of node.paragraphs) texts.set(paragraph, (texts.get(paragraph) ?? 0) + 1);
  const eligible = all.filter(
    ({ node }) =>
      words(node) >= minWords && (!leaf || node.children.length === 0) && node.paragraphs.every((paragraph) => texts.get(paragraph) === 1),
  );
  return eligible.length > 0 ? eligible[pick % eligible.length] : undefined;
}

/** Content words of a heading (what a reworded heading keeps of it). */
function headingWordsOf(heading: string): string[] {
  return heading.split(/[^\p{L}\p{N}]+/u).filter((word) => word.length > 3);
}

/**
 * Renamed (one word of the old heading kept, as "Freedom of the Press" keeps "Press"), cut to its first paragraphs
 * (a quarter of them, at least one) and moved under a new parent, as the 2024 template did.
 */
function renameAndMove(
  tree: Node[],
  pick: number,
  at: number,
  heading: string,
  parentHeading: string,
): { tree: Node[]; touched: Set<number> } | undefined {
  const found = pickSection(tree, pick, 40);
  if (!found) return undefined;
  const { node, siblings } = found;
  const kept = headingWordsOf(node.heading);
  if (kept.length === 0) return undefined;
  siblings.splice(siblings.indexOf(node), 1);
  node.heading = `${kept[pick % kept.length]} ${heading.split(' ')[0]}`;
  node.paragraphs = node.paragraphs.slice(0, Math.max(1, Math.floor(node.paragraphs.length / 4)));
  delete node.number;
  const parent: Node = { id: -1, heading: parentHeading, paragraphs: [], children: [node] };
  tree.splice(at % (tree.length + 1), 0, parent);
  return { tree, touched: new Set([node.id]) };
}

/** Split into two retitled sub-sections that take all its text; the section itself retitled ("Acts of ..."). */
function splitIntoSubsections(tree: Node[], pick: number, heading: string): { tree: Node[]; touched: Set<number> } | undefined {
  const found = pickSection(tree, pick, 60, true);
  if (!found || found.node.paragraphs.length < 2) return undefined;
  const { node } = found;
  const half = Math.ceil(node.paragraphs.length / 2);
  node.children = [
    { id: -1, heading: `${heading} One`, paragraphs: node.paragraphs.slice(0, half), children: [] },
    { id: -1, heading: `${heading} Two`, paragraphs: node.paragraphs.slice(half), children: [] },
  ];
  node.paragraphs = [];
  node.heading = `Acts of ${node.heading}`;
  return { tree, touched: new Set([node.id]) };
}

/** Two or three siblings gathered under a new parent whose heading joins theirs ("Freedoms of Assembly and Association"). */
function gatherUnderNewParent(tree: Node[], pick: number, count: number): { tree: Node[]; touched: Set<number> } | undefined {
  const groups = [...new Set([...walk(tree)].filter(({ siblings }) => siblings.length >= 2).map(({ siblings }) => siblings))];
  if (groups.length === 0) return undefined;
  const siblings = groups[pick % groups.length]!;
  const size = Math.min(siblings.length, 2 + (count % 2));
  const start = pick % (siblings.length - size + 1);
  const heading = siblings
    .slice(start, start + size)
    .map((node) => headingWordsOf(node.heading).slice(-1)[0] ?? node.heading)
    .join(' and ');
  const gathered = siblings.splice(start, size, { id: -1, heading, paragraphs: [], children: [] });
  siblings[start]!.children = gathered;
  return { tree, touched: new Set(gathered.map((node) => node.id)) };
}

const REWORDINGS: Array<(heading: string) => string> = [
  (heading) => heading.toUpperCase(),
  (heading) => `Instances of ${heading}`,
  (heading) => heading.replace(/\band\b/g, '&'),
  (heading) => `${heading} (Update)`,
  (heading) => (heading.split(' ').length >= 3 ? heading.split(' ').slice(1).join(' ') : `${heading} Matters`),
];

function rewordHeadings(tree: Node[], picks: number[], rewordings: number[]): { tree: Node[]; touched: Set<number> } | undefined {
  const all = [...walk(tree)];
  const touched = new Set<number>();
  picks.forEach((pick, k) => {
    const { node } = all[pick % all.length]!;
    node.heading = REWORDINGS[(rewordings[k] ?? 0) % REWORDINGS.length]!(node.heading);
    touched.add(node.id);
  });
  return { tree, touched };
}

describe('the sample pages rebuilt from their outline', () => {
  it('get the keys extraction gave them (so a rewrite changes only what it rewrites)', () => {
    for (const country of CORPUS_COUNTRIES) {
      const original = page(country, 2023);
      const { document } = documentOf(treeOf(original));
      expect(document.sections.map((section) => section.key)).toEqual(original.sections.map((section) => section.key));
    }
  });
});

describe('alignment properties on rewritten sample pages', () => {
  it('a section renamed, cut to a quarter and moved under a new parent is paired with itself (moved); the new parent is added', () => {
    fc.assert(
      fc.property(target, freshHeading, freshHeading, ({ country, year, pick, at }, heading, parentHeading) => {
        const original = page(country, year);
        const rewritten = renameAndMove(clone(treeOf(original)), pick, at, heading, parentHeading);
        if (!rewritten) return;
        const built = documentOf(rewritten.tree);
        const alignment = expectSelfAlignment(original, built);
        const moved = alignment.matches.find((match) => rewritten.touched.has(built.ids[match.after]!))!;
        expect(moved.moved).toBe(true);
        expect(alignment.removed).toEqual([]);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('... and between two real editions every pair is still made', () => {
    fc.assert(
      fc.property(target, freshHeading, freshHeading, ({ country, year, pick, at }, heading, parentHeading) => {
        expectEditionAlignment(country, year, (tree) => renameAndMove(tree, pick, at, heading, parentHeading));
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('a section split into sub-sections that take all its text, and retitled, is paired with itself; the parts are added', () => {
    fc.assert(
      fc.property(target, freshHeading, ({ country, year, pick }, heading) => {
        const original = page(country, year);
        const rewritten = splitIntoSubsections(clone(treeOf(original)), pick, heading);
        if (!rewritten) return;
        const alignment = expectSelfAlignment(original, documentOf(rewritten.tree));
        expect(alignment.removed).toEqual([]);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('... and between two real editions every pair is still made', () => {
    fc.assert(
      fc.property(target, freshHeading, ({ country, year, pick }, heading) => {
        expectEditionAlignment(country, year, (tree) => splitIntoSubsections(tree, pick, heading));
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('sibling sections gathered under a new parent named after them are each paired with themselves (moved); the parent is added', () => {
    fc.assert(
      fc.property(target, fc.nat(), ({ country, year, pick }, count) => {
        const original = page(country, year);
        const rewritten = gatherUnderNewParent(clone(treeOf(original)), pick, count);
        if (!rewritten) return;
        const built = documentOf(rewritten.tree);
        const alignment = expectSelfAlignment(original, built);
        for (const match of alignment.matches) if (rewritten.touched.has(built.ids[match.after]!)) expect(match.parentChanged).toBe(true);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('... and between two real editions every pair is still made', () => {
    fc.assert(
      fc.property(target, fc.nat(), ({ country, year, pick }, count) => {
        expectEditionAlignment(country, year, (tree) => gatherUnderNewParent(tree, pick, count));
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('reworded headings (case, a word added or dropped, "&" for "and") leave every section paired with itself', () => {
    fc.assert(
      fc.property(
        target,
        fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
        fc.array(fc.nat(), { minLength: 3, maxLength: 3 }),
        ({ country, year }, picks, rewordings) => {
          const original = page(country, year);
          const rewritten = rewordHeadings(clone(treeOf(original)), picks, rewordings)!;
          expectSelfAlignment(original, documentOf(rewritten.tree));
        },
      ),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('... and between two real editions every pair is still made', () => {
    fc.assert(
      fc.property(
        target,
        fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
        fc.array(fc.nat(), { minLength: 3, maxLength: 3 }),
        ({ country, year }, picks, rewordings) => {
          expectEditionAlignment(country, year, (tree) => rewordHeadings(tree, picks, rewordings));
        },
      ),
      { numRuns: RUNS, seed: SEED },
    );
  });
});
