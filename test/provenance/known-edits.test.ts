import {
  applyEdits,
  deleteParagraph,
  insertSentence,
  moveSection,
  renameHeading,
  replaceInParagraph,
  type PageEdit,
} from '../../local/demo/known-edits.js';
import { extract } from '../../shared/domain/extract.js';
import { blameVersion } from '../../shared/domain/provenance/blame.js';
import { ProvenanceIndex } from '../../shared/domain/provenance/provenance-index.js';
import { removalLedger, type RemovalFate } from '../../shared/domain/provenance/removal-ledger.js';
import { versionSentences } from '../../shared/domain/provenance/version-sentences.js';
import { splitSentences } from '../../shared/domain/sentences.js';
import { loadCorpusPage } from '../support/corpus.js';
import { hrrUrl } from './provenance-fixture.js';

/**
 * Revisions of one URL (Kazakhstan 2022) made by known edits to the HTML, each revision adding one edit to the
 * previous one; the page's own revisions are the timeline. What each edit must (and must not) do to provenance is
 * known exactly.
 */
const PAGE = 'hrr.kazakhstan.2022';
const TORTURE = 'Torture and Other Cruel, Inhuman, or Degrading Treatment or Punishment, and other Related Abuses';
const EXPRESSION = 'Freedom of Expression, Including for Members of the Press and Other Media';
const INSERTED = 'The ombudsman received 12 new complaints about the treatment of detainees.';
const MOVED = 'Civilian authorities maintained effective control over the security forces.';
const KEYS = {
  summary: 'executive-summary',
  expression: 'respect-for-civil-liberties/freedom-of-expression-including-for-members-of',
  assembly: 'respect-for-civil-liberties/freedoms-of-peaceful-assembly-and-association/freedom-of-peaceful-assembly',
};

const EDITS: Array<[string, PageEdit]> = [
  ['insert a sentence', insertSentence(TORTURE, 0, INSERTED)],
  ['delete a paragraph', deleteParagraph(EXPRESSION, 1)],
  ['change a figure', replaceInParagraph('EXECUTIVE SUMMARY', 2, '10,000', '12,000')],
  ['rename a heading', renameHeading('Internet Freedom', 'Internet Freedom and Online Censorship')],
  ['move a section', moveSection('Restrictions on Academic Freedom and Cultural Events', 'Freedom of Peaceful Assembly')],
  ['move a sentence to another section', replaceInParagraph('EXECUTIVE SUMMARY', 1, `${MOVED} `, '')],
];

const html = loadCorpusPage('kazakhstan', 2022);
const original = extract(html, { url: hrrUrl('kazakhstan', 2022) });
const index = new ProvenanceIndex('series:hrr/kazakhstan');
const revisions = [original];
{
  const applied: PageEdit[] = [];
  for (const [, edit] of EDITS) {
    applied.push(edit);
    // The sentence taken out of the summary is put back in another section in the same revision.
    const extra = edit === EDITS[5]![1] ? [insertSentence('Freedom of Peaceful Assembly', 0, MOVED)] : [];
    revisions.push(extract(applyEdits(html, [...applied, ...extra]), { url: original.url }));
  }
  revisions.forEach((document, at) =>
    index.addVersion(
      { page: PAGE, seq: at + 1, edition: 2022, documentHash: `revision-${at + 1}`, capturedAt: new Date(Date.UTC(2025, 0, at + 1)).toISOString() },
      versionSentences(document),
    ),
  );
}
const ALL: RemovalFate[] = ['removed', 'reworded', 'moved'];
/** The ledger between revision `seq` and the next one, with every fate. */
const ledgerAfter = (seq: number, fates: RemovalFate[] = ALL) => removalLedger(index, [[seq - 1, seq]], { fates }).sentences;

describe('provenance of known-edit revisions of one page', () => {
  test('an inserted sentence originates in its revision; every other sentence in the first', () => {
    const blame = blameVersion(index, 1);
    expect(blame.summary.byOrigin.map((origin) => [origin.seq, origin.sentences])).toEqual([
      [1, blame.sentences.length - 1],
      [2, 1],
    ]);
    expect(blame.sentences.filter((sentence) => sentence.origin.seq === 2).map((sentence) => [sentence.text, sentence.rewordedFrom])).toEqual([
      [INSERTED, undefined],
    ]);
    expect(ledgerAfter(1)).toEqual([]);
  });

  test('a deleted paragraph: exactly its sentences are removed, last seen in the revision before', () => {
    const paragraph = original.sections.find((section) => section.key === KEYS.expression)!.paragraphs[1]!.text;
    const removed = ledgerAfter(2);
    expect(removed.map((sentence) => sentence.text)).toEqual(splitSentences(paragraph));
    expect(
      removed.map((sentence) => [sentence.fate, sentence.section.key, sentence.lastSeen.seq, sentence.removedIn?.seq, sentence.reappears]),
    ).toEqual(removed.map(() => ['removed', KEYS.expression, 2, 3, undefined]));
  });

  test('a changed figure is a rewording of the one sentence that holds it', () => {
    expect(ledgerAfter(3).map((sentence) => [sentence.fate, sentence.text, sentence.rewordedAs?.text, sentence.rewordedAs?.similarity])).toEqual([
      [
        'reworded',
        'During the government’s response to the violence, authorities detained approximately 10,000 persons, most of whom were subsequently released.',
        'During the government’s response to the violence, authorities detained approximately 12,000 persons, most of whom were subsequently released.',
        // 19 distinct tokens each ("10,000" is two, 10 and 000), 18 shared: 36 / 38.
        0.947,
      ],
    ]);
    const blamed = blameVersion(index, 3).sentences.find((sentence) => sentence.text.includes('12,000'))!;
    expect(blamed).toMatchObject({ origin: { seq: 4 }, rewordedFrom: { similarity: 0.947, origin: { seq: 1 }, lastSeen: { seq: 3 } } });
  });

  test('a renamed heading and a moved section remove nothing and move nothing: their sentences follow them', () => {
    expect(ledgerAfter(4)).toEqual([]);
    expect(ledgerAfter(5)).toEqual([]);
    // The keys did change; the sentences keep their origin.
    const keys = (seq: number) => new Set(revisions[seq - 1]!.sections.map((section) => section.key));
    expect([...keys(5)].filter((key) => !keys(4).has(key)).length).toBeGreaterThan(0);
    expect([...keys(6)].filter((key) => !keys(5).has(key)).length).toBeGreaterThan(0);
    expect(blameVersion(index, 5).summary.byOrigin.map((origin) => origin.seq)).toEqual([1, 2, 4]);
  });

  test('a sentence moved to another section is not a removal; it is listed as moved only when asked for', () => {
    expect(ledgerAfter(6, ['removed', 'reworded'])).toEqual([]);
    expect(ledgerAfter(6).map((sentence) => [sentence.fate, sentence.text, sentence.section.key, sentence.movedTo?.key])).toEqual([
      ['moved', MOVED, KEYS.summary, KEYS.assembly],
    ]);
    const blamed = blameVersion(index, 6).sentences.find((sentence) => sentence.text === MOVED)!;
    expect(blamed).toMatchObject({ sectionKey: KEYS.assembly, origin: { seq: 1 }, versions: 7 });
  });

  test('over all revisions, only the deleted paragraph and the changed figure are cut', () => {
    const pairs = revisions.slice(1).map((_, at): [number, number] => [at, at + 1]);
    const ledger = removalLedger(index, pairs);
    expect(
      ledger.transitions.map((transition) => [transition.from.seq, transition.to.seq, transition.removed, transition.reworded, transition.moved]),
    ).toEqual([
      [1, 2, 0, 0, 0],
      [2, 3, 2, 0, 0],
      [3, 4, 0, 1, 0],
      [4, 5, 0, 0, 0],
      [5, 6, 0, 0, 0],
      [6, 7, 0, 0, 0],
    ]);
  });
});
