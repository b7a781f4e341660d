import fc from 'fast-check';
import { diffDocuments } from '../../shared/domain/diff-documents.js';
import type { Document } from '../../shared/domain/document.js';
import { extract } from '../../shared/domain/extract.js';
import { ExtractionError } from '../../shared/errors.js';
import { diffProblems } from './support/diff-reference.js';
import { FUZZ_PAGES as PAGES, applyEdit, documentProblems, edit, loadFuzzPages, mutate, mutation, type CorpusPage } from './support/fuzz-inputs.js';

/**
 * Fuzzing extraction and diff with fast-check.
 * - HTML: real corpus pages (three layouts, 2016-2024) mutated at the element level (an element dropped, duplicated,
 *   unwrapped, two swapped, the page cut anywhere) plus junk injected anywhere (stray and unclosed tags, a second
 *   report body, comments, CDATA, bogus and out-of-range entities, lone UTF-16 surrogates, NUL, BOM, zero-width
 *   characters, deep nesting, random text). extract() must return a well-formed Document or throw ExtractionError,
 *   nothing else; diff(a, a) must be empty and diff(original, mutated) consistent.
 * - Text: random edits of real Documents (words inserted, deleted and replaced, paragraphs added, removed, split and
 *   merged, headings renamed, sections added and removed, punctuation and numbers changed). Every diff must list
 *   each section once, rebuild every changed paragraph from its word operations, and give per-section word counts
 *   that match a reference computed from the texts (support/diff-reference.ts); a known insertion of k new words
 *   must read as exactly one modified section with k words added, and a comma as a trivial punctuation change.
 */
/** HARDENING_FUZZ_SCALE=20 for a long local run; CI runs the defaults (about 850 cases). */
const runs = (count: number) => Math.max(1, Math.round(count * Number(process.env.HARDENING_FUZZ_SCALE ?? 1)));
/** Bounded by a count; the seed is the suite's fixed one (test/support/property-seed.ts: REDLINE_PROPERTY_SEED). */
const fuzz = (count: number) => ({ numRuns: runs(count) });

let pages: CorpusPage[] = [];

beforeAll(() => {
  pages = loadFuzzPages();
});

describe('extract() on mutated corpus pages', () => {
  const outcomes = new Map<string, number>();

  it('returns a well-formed Document or throws ExtractionError, and diffs consistently', () => {
    fc.assert(
      fc.property(fc.nat({ max: PAGES.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }), (pageIndex, mutations) => {
        const page = pages[pageIndex]!;
        let html = page.html;
        mutations.forEach((change, index) => {
          html = mutate(page, html, change, index === 0);
        });
        let document: Document;
        try {
          document = extract(html, { url: page.url });
        } catch (error) {
          if (!(error instanceof ExtractionError)) throw new Error(`extract threw ${String(error)} (not an ExtractionError)`, { cause: error });
          outcomes.set(`ExtractionError:${error.reason}`, (outcomes.get(`ExtractionError:${error.reason}`) ?? 0) + 1);
          return;
        }
        outcomes.set('document', (outcomes.get('document') ?? 0) + 1);
        expect(documentProblems(document)).toEqual([]);
        const same = diffDocuments(document, document);
        expect(same.sections.every((section) => section.kind === 'unchanged' && section.paragraphs.length === 0)).toBe(true);
        expect(same.summary).toMatchObject({ wordsAdded: 0, wordsRemoved: 0, significance: 0 });
        const diff = diffDocuments(page.document, document);
        expect(diffProblems(page.document, document, diff)).toEqual([]);
      }),
      fuzz(200),
    );
    // Both outcomes were exercised.
    expect(outcomes.get('document')).toBeGreaterThan(20);
    expect([...outcomes.keys()].some((key) => key.startsWith('ExtractionError'))).toBe(true);
  }, 120_000);

  it('reads a page cut anywhere inside its report body as a failure, never as a shorter report', () => {
    const page = pages.find((candidate) => candidate.url.includes('kazakhstan'))!;
    const start = page.html.lastIndexOf('<', page.html.indexOf('report__main'));
    const [, end] = page.elements.find(([elementStart]) => elementStart === start)!;
    fc.assert(
      fc.property(fc.integer({ min: start + 100, max: end - '</section>'.length - 1 }), (at) => {
        expect(() => extract(page.html.slice(0, at), { url: page.url })).toThrow(ExtractionError);
      }),
      fuzz(50),
    );
  });
});

describe('diffDocuments on random text edits of corpus Documents', () => {
  it('is empty between a Document and itself, and consistent with the texts after any edits', () => {
    fc.assert(
      fc.property(fc.nat({ max: PAGES.length - 1 }), fc.array(edit, { minLength: 1, maxLength: 10 }), (pageIndex, edits) => {
        const before = pages[pageIndex]!.document;
        const after = structuredClone(before);
        for (const change of edits) applyEdit(after, change);
        for (const document of [before, after]) {
          const same = diffDocuments(document, document);
          expect(same.sections.filter((section) => section.kind !== 'unchanged')).toEqual([]);
          expect(same.summary).toMatchObject({ wordsAdded: 0, wordsRemoved: 0, significance: 0 });
        }
        const diff = diffDocuments(before, after);
        expect(diffProblems(before, after, diff)).toEqual([]);
      }),
      fuzz(300),
    );
  });

  it('reads k new words inserted into one paragraph as one modified section with exactly k words added', () => {
    const fresh = fc
      .array(fc.stringMatching(/^[a-z]{4,9}$/), { minLength: 1, maxLength: 6 })
      .map((list) => list.map((entry, index) => `zq${entry}${index}`));
    fc.assert(
      fc.property(fc.nat({ max: PAGES.length - 1 }), fc.nat(), fc.nat(), fresh, (pageIndex, target, at, added) => {
        const before = pages[pageIndex]!.document;
        const candidates = before.sections.flatMap((section, sectionIndex) =>
          section.paragraphs.flatMap((paragraph, paragraphIndex) =>
            paragraph.text.split(' ').length >= 20 && !paragraph.lead ? [[sectionIndex, paragraphIndex] as const] : [],
          ),
        );
        const [sectionIndex, paragraphIndex] = candidates[target % candidates.length]!;
        const after = structuredClone(before);
        const paragraph = after.sections[sectionIndex]!.paragraphs[paragraphIndex]!;
        const list = paragraph.text.split(' ');
        list.splice(at % (list.length + 1), 0, ...added);
        paragraph.text = list.join(' ');

        const diff = diffDocuments(before, after);
        const changed = diff.sections.filter((section) => section.kind !== 'unchanged');
        expect(changed).toHaveLength(1);
        expect(changed[0]).toMatchObject({ key: before.sections[sectionIndex]!.key, kind: 'modified', wordsAdded: added.length, wordsRemoved: 0 });
        expect(changed[0]!.trivial).toBeUndefined();
        expect(changed[0]!.paragraphs).toHaveLength(1);
        const inserted = changed[0]!.paragraphs[0]!.words!.filter((operation) => operation.op === 'insert')
          .map((operation) => operation.text)
          .join('');
        expect(inserted.trim().split(/\s+/)).toEqual(added);
        expect(diff.summary).toMatchObject({ modified: 1, wordsAdded: added.length, wordsRemoved: 0, trivial: false });
      }),
      fuzz(150),
    );
  });

  it('reads a comma added anywhere as a trivial punctuation change with no words', () => {
    fc.assert(
      fc.property(fc.nat({ max: PAGES.length - 1 }), fc.nat(), fc.nat(), (pageIndex, target, at) => {
        const before = pages[pageIndex]!.document;
        const after = structuredClone(before);
        // Paragraphs with a run-in head are left out: their head is read from the text, which this edit would change.
        const candidates = after.sections.flatMap((section) =>
          section.paragraphs.filter((paragraph) => !paragraph.lead).map((paragraph) => ({ section, paragraph })),
        );
        const { section, paragraph } = candidates[(target + at) % candidates.length]!;
        const list = paragraph.text.split(' ');
        list[at % list.length] += ',';
        paragraph.text = list.join(' ');
        const diff = diffDocuments(before, after);
        const changed = diff.sections.filter((change) => change.kind !== 'unchanged');
        expect(changed).toHaveLength(1);
        expect(changed[0]).toMatchObject({ key: section.key, trivial: 'punctuation', wordsAdded: 0, wordsRemoved: 0, significance: 0 });
        expect(diff.summary.trivial).toBe(true);
      }),
      fuzz(100),
    );
  });
});
