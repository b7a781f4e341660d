import {
  applyEdits,
  deleteParagraph,
  insertSentence,
  moveSection,
  reflowWhitespace,
  renameHeading,
  replaceInParagraph,
  rotateChrome,
  splitParagraph,
  type PageEdit,
} from '../../local/demo/known-edits.js';
import { countWords } from '../../shared/domain/document.js';
import { diffDocuments } from '../../shared/domain/diff-documents.js';
import { extract } from '../../shared/domain/extract.js';
import type { RevisionDiff } from '../../shared/domain/revision-diff.js';
import { loadCorpusPage } from '../support/corpus.js';

/**
 * Revisions of one URL made from a real page (Kazakhstan 2022) by known edits: each asserts the exact list of
 * section changes. The edits are applied to the HTML (DOM), then both versions go through extraction and diff.
 */
const html = loadCorpusPage('kazakhstan', 2022);
const original = extract(html);

const TORTURE = 'Torture and Other Cruel, Inhuman, or Degrading Treatment or Punishment, and other Related Abuses';
const EXPRESSION = 'Freedom of Expression, Including for Members of the Press and Other Media';
const KEYS = {
  torture: 'respect-for-the-integrity-of-the-person/torture-and-other-cruel-inhuman-or-degrading',
  expression: 'respect-for-civil-liberties/freedom-of-expression-including-for-members-of',
  internet: 'respect-for-civil-liberties/freedom-of-expression-including-for-members-of/internet-freedom',
  academic: 'respect-for-civil-liberties/freedom-of-expression-including-for-members-of/restrictions-on-academic-freedom-and-cultural',
  assembly: 'respect-for-civil-liberties/freedoms-of-peaceful-assembly-and-association',
};

function revise(...edits: PageEdit[]): RevisionDiff {
  return diffDocuments(original, extract(applyEdits(html, edits), { url: original.url }));
}

function changes(diff: RevisionDiff) {
  return diff.sections
    .filter((section) => section.kind !== 'unchanged')
    .map((section) => ({
      key: section.key,
      ...(section.previousKey && section.previousKey !== section.key ? { previousKey: section.previousKey } : {}),
      kinds: section.kinds,
      wordsAdded: section.wordsAdded,
      wordsRemoved: section.wordsRemoved,
      ...(section.trivial ? { trivial: section.trivial } : {}),
    }));
}

describe('known-edit revisions of Kazakhstan 2022', () => {
  it('the page itself is unchanged', () => {
    expect(changes(diffDocuments(original, extract(html)))).toEqual([]);
  });

  it('a sentence inserted in 1.c', () => {
    const diff = revise(insertSentence(TORTURE, 0, 'The ombudsman received 12 new complaints.'));
    expect(changes(diff)).toEqual([{ key: KEYS.torture, kinds: ['modified'], wordsAdded: 6, wordsRemoved: 0 }]);
    const paragraph = diff.sections.find((section) => section.key === KEYS.torture)!.paragraphs[0]!;
    expect(paragraph.kind).toBe('modified');
    expect(paragraph.words?.filter((word) => word.op === 'insert').map((word) => word.text.trim())).toEqual([
      'The ombudsman received 12 new complaints.',
    ]);
  });

  it('a paragraph deleted in 2.a', () => {
    const section = original.sections.find((candidate) => candidate.key === KEYS.expression)!;
    const removedWords = countWords(section.paragraphs[1]!.text);
    const diff = revise(deleteParagraph(EXPRESSION, 1));
    expect(changes(diff)).toEqual([{ key: KEYS.expression, kinds: ['modified'], wordsAdded: 0, wordsRemoved: removedWords }]);
    expect(diff.sections.find((s) => s.key === KEYS.expression)!.paragraphs).toEqual([
      { kind: 'removed', beforeIndex: 1, before: section.paragraphs[1]!.text },
    ]);
  });

  it('a number changed in the Executive Summary is trivial (numbers)', () => {
    const diff = revise(replaceInParagraph('EXECUTIVE SUMMARY', 2, '10,000', '12,000'));
    expect(changes(diff)).toEqual([{ key: 'executive-summary', kinds: ['modified'], wordsAdded: 1, wordsRemoved: 1, trivial: 'numbers' }]);
    expect(diff.summary.trivial).toBe(true);
    expect(diff.summary.significance).toBe(0);
  });

  it('a sub-section heading renamed', () => {
    const diff = revise(renameHeading('Internet Freedom', 'Internet Freedom and Online Censorship'));
    expect(changes(diff)).toEqual([
      { key: `${KEYS.internet}-and-online-censorship`, previousKey: KEYS.internet, kinds: ['renamed'], wordsAdded: 0, wordsRemoved: 0 },
    ]);
  });

  it('a sub-section moved to another parent', () => {
    const diff = revise(moveSection('Restrictions on Academic Freedom and Cultural Events', 'Freedom of Peaceful Assembly'));
    expect(changes(diff)).toEqual([
      {
        key: `${KEYS.assembly}/restrictions-on-academic-freedom-and-cultural`,
        previousKey: KEYS.academic,
        kinds: ['moved'],
        wordsAdded: 0,
        wordsRemoved: 0,
      },
    ]);
  });

  it('chrome-only changes: no change at all', () => {
    const diff = revise(rotateChrome(7));
    expect(changes(diff)).toEqual([]);
    expect(diff.summary.unchanged).toBe(original.sections.length);
  });

  it('whitespace re-flowed in the HTML: no change at all', () => {
    expect(changes(revise(reflowWhitespace()))).toEqual([]);
  });

  it('a paragraph split in two: a whitespace-only (trivial) change', () => {
    const diff = revise(splitParagraph('EXECUTIVE SUMMARY', 4, 'high-profile corruption and torture cases.'));
    expect(changes(diff)).toEqual([{ key: 'executive-summary', kinds: ['modified'], wordsAdded: 0, wordsRemoved: 0, trivial: 'whitespace' }]);
    expect(diff.summary.trivial).toBe(true);
  });

  it('several edits at once give exactly their changes', () => {
    const diff = revise(
      rotateChrome(3),
      insertSentence(TORTURE, 0, 'The ombudsman received 12 new complaints.'),
      deleteParagraph(EXPRESSION, 1),
      renameHeading('Internet Freedom', 'Internet Freedom and Online Censorship'),
    );
    expect(changes(diff).map((change) => [change.key, change.kinds])).toEqual([
      [KEYS.torture, ['modified']],
      [KEYS.expression, ['modified']],
      [`${KEYS.internet}-and-online-censorship`, ['renamed']],
    ]);
  });
});

describe('extraction is independent of markup whitespace', () => {
  it('re-indented markup gives the identical Document, run-in heads included', () => {
    for (const [country, year] of [
      ['kazakhstan', 2022],
      ['china', 2023],
    ] as const) {
      const page = loadCorpusPage(country, year);
      expect(extract(applyEdits(page, [reflowWhitespace()]))).toEqual(extract(page));
    }
  });
});
