import fc from 'fast-check';
import type { Document } from '../../shared/domain/document.js';
import { blameVersion } from '../../shared/domain/provenance/blame.js';
import {
  compareVersions,
  isCurrentIndexData,
  PROVENANCE_ALGORITHM,
  ProvenanceIndex,
  type VersionRef,
} from '../../shared/domain/provenance/provenance-index.js';
import { editionPairs, removalLedger } from '../../shared/domain/provenance/removal-ledger.js';
import { versionSentences } from '../../shared/domain/provenance/version-sentences.js';
import { hrrDocument, syntheticDocument, versionRef } from './provenance-fixture.js';

const POOL = [
  'The constitution provides for freedom of expression, but the government restricted it.',
  'The law prohibits torture, yet there were credible reports that officials employed it.',
  'Observers reported that prison conditions remained harsh and sometimes life threatening.',
  'Authorities detained several journalists who covered the protests in the capital city.',
  'The government took some steps to identify and punish officials who committed abuses.',
  'Courts rarely acquitted defendants, and judges were subject to pressure from prosecutors.',
  'Several nongovernmental organizations reported harassment by security services during the year.',
  'The law prohibits discrimination based on disability, but the government did not enforce it.',
];
/** A sentence and a rewording of it (a changed tense, a changed figure). */
function variant(sentence: string, flavour: number): string {
  if (flavour === 0) return sentence;
  if (flavour === 1)
    return sentence.replace(
      /\bprovides\b|\bprohibits\b|\bremained\b/,
      (word) => ({ provides: 'provided', prohibits: 'prohibited', remained: 'remain' })[word]!,
    );
  return sentence.replace(/\.$/, ' in 2023.');
}

const SECTIONS: Array<[string, string]> = [
  ['rights', 'Rights'],
  ['rights/expression', 'Freedom of Expression'],
  ['rights/detention', 'Arbitrary Detention'],
  ['labor', 'Worker Rights'],
];

/** A random version: some pool sentences (some reworded) spread over some sections. */
const versionDocument = fc
  .array(fc.tuple(fc.integer({ min: 0, max: POOL.length - 1 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: SECTIONS.length - 1 })), {
    minLength: 1,
    maxLength: 10,
  })
  .map((picks): Array<[string, string, string[]]> =>
    SECTIONS.map(([key, heading], sectionIndex) => [
      key,
      heading,
      [
        picks
          .filter(([, , section]) => section === sectionIndex)
          .map(([sentence, flavour]) => variant(POOL[sentence]!, flavour))
          .join(' '),
      ],
    ]),
  );

function refOf(edition: number, seq: number): VersionRef {
  return {
    page: `example.${edition}`,
    seq,
    edition,
    documentHash: `${edition}-${seq}`,
    capturedAt: new Date(Date.UTC(edition, 0, seq)).toISOString(),
  };
}

function build(entries: ReadonlyArray<{ ref: VersionRef; document: Document }>): ProvenanceIndex {
  const index = new ProvenanceIndex('series:example/report');
  for (const { ref, document } of entries) index.addVersion(ref, versionSentences(document));
  return index;
}

describe('the provenance index', () => {
  test('adding versions in any order (editions and revisions) gives the same stored bytes as adding them in order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 2016, max: 2020 }), fc.integer({ min: 1, max: 3 }), versionDocument), { minLength: 1, maxLength: 7 }),
        fc.infiniteStream(fc.nat()),
        (raw, randomness) => {
          const seen = new Set<string>();
          const entries = raw
            .filter(([edition, seq]) => !seen.has(`${edition}#${seq}`) && seen.add(`${edition}#${seq}`))
            .map(([edition, seq, sections]) => ({ ref: refOf(edition, seq), document: syntheticDocument(sections, { edition }) }));
          const inOrder = [...entries].sort((a, b) => compareVersions(a.ref, b.ref));
          const shuffled = [...entries];
          const iterator = randomness[Symbol.iterator]();
          for (let i = shuffled.length - 1; i > 0; i--) {
            const j = iterator.next().value! % (i + 1);
            [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
          }
          const expected = JSON.stringify(build(inOrder).toData());
          const incremental = build(shuffled);
          expect(JSON.stringify(incremental.toData())).toBe(expected);
          // And reading the stored form back gives it again.
          expect(JSON.stringify(ProvenanceIndex.fromData(JSON.parse(expected)).toData())).toBe(expected);
        },
      ),
      { numRuns: 150 },
    );
  });

  test('blame is consistent with the timeline: origin first, the blamed version among its versions, rewordings from the version before', () => {
    fc.assert(
      fc.property(fc.array(versionDocument, { minLength: 1, maxLength: 6 }), (documents) => {
        const index = build(
          documents.map((sections, at) => ({ ref: refOf(2016 + at, 1), document: syntheticDocument(sections, { edition: 2016 + at }) })),
        );
        for (let position = 0; position < index.versionCount; position++) {
          const blame = blameVersion(index, position);
          expect(blame.sentences.length).toBe(index.places(position).length);
          for (const sentence of blame.sentences) {
            const id = index.sentenceId(sentence.hash)!;
            const presence = index.presence(id);
            expect(presence).toContain(position);
            expect(sentence.origin.edition).toBe(2016 + presence[0]!);
            expect(sentence.editions).toEqual(presence.map((at) => 2016 + at));
            if (sentence.rewordedFrom) {
              const origin = presence[0]!;
              const earlier = index.sentenceId(sentence.rewordedFrom.hash)!;
              expect(origin).toBeGreaterThan(0);
              expect([index.contains(origin - 1, earlier), index.contains(origin, earlier), index.contains(origin - 1, id)]).toEqual([
                true,
                false,
                false,
              ]);
              expect(sentence.rewordedFrom.similarity).toBeGreaterThanOrEqual(0.6);
            }
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  test('a revision of an earlier edition arriving late takes its place in the timeline, and the next edition is re-linked', () => {
    const base = [['rights', 'Rights', ['The law prohibits torture, yet there were credible reports that officials employed it.']]] as Array<
      [string, string, string[]]
    >;
    const erratum = [
      ['rights', 'Rights', ['The law prohibits torture, yet there were credible reports that police officials employed it.']],
    ] as Array<[string, string, string[]]>;
    const next = [['rights', 'Rights', ['The law prohibited torture, yet there were credible reports that police officials employed it.']]] as Array<
      [string, string, string[]]
    >;
    const index = build([
      { ref: refOf(2022, 1), document: syntheticDocument(base, { edition: 2022 }) },
      { ref: refOf(2023, 1), document: syntheticDocument(next, { edition: 2023 }) },
    ]);
    expect(blameVersion(index, 1).sentences[0]!.rewordedFrom?.text).toBe(POOL[1]);
    index.addVersion(refOf(2022, 2), versionSentences(syntheticDocument(erratum, { edition: 2022 })));
    expect(index.versions.map((version) => `${version.edition}#${version.seq}`)).toEqual(['2022#1', '2022#2', '2023#1']);
    const blame = blameVersion(index, 2);
    expect(blame.sentences[0]!.rewordedFrom).toMatchObject({ text: erratum[0]![2][0], origin: { edition: 2022, seq: 2 } });
    expect(blame.sentences[0]!.firstWordingOrigin).toMatchObject({ edition: 2022, seq: 1 });
    // The same version again changes nothing; another Document for the same revision replaces it.
    expect(index.addVersion(refOf(2022, 2), versionSentences(syntheticDocument(erratum, { edition: 2022 })))).toBe(false);
    expect(index.addVersion({ ...refOf(2022, 2), documentHash: 'other' }, versionSentences(syntheticDocument(base, { edition: 2022 })))).toBe(true);
    expect(index.versionCount).toBe(3);
    expect(blameVersion(index, 2).sentences[0]!.rewordedFrom?.text).toBe(POOL[1]);
  });

  test('sections followed across a rename are the same section; a sentence moved to another section is a move, not a removal', () => {
    const before = syntheticDocument(
      [
        ['rights', 'Rights', []],
        ['rights/expression', 'Freedom of Speech and Press', [POOL[0]!, POOL[3]!]],
        ['rights/detention', 'Arbitrary Detention', [POOL[2]!, POOL[5]!]],
      ],
      { edition: 2022 },
    );
    const after = syntheticDocument(
      [
        ['rights', 'Rights', []],
        ['rights/expression-including-for-the-press', 'Freedom of Expression, Including for the Press', [POOL[0]!]],
        ['rights/detention', 'Arbitrary Detention', [POOL[2]!, POOL[5]!, POOL[3]!]],
      ],
      { edition: 2023 },
    );
    const index = build([
      { ref: refOf(2022, 1), document: before },
      { ref: refOf(2023, 1), document: after },
    ]);
    const ledger = removalLedger(index, editionPairs(index, 2022, 2023), { fates: ['removed', 'reworded', 'moved'] });
    expect(ledger.sentences.map((sentence) => [sentence.fate, sentence.text, sentence.section.key, sentence.movedTo?.key])).toEqual([
      ['moved', POOL[3], 'rights/expression', 'rights/detention'],
    ]);
    expect(removalLedger(index, editionPairs(index, 2022, 2023)).sentences).toEqual([]);
    expect(ledger.transitions).toEqual([expect.objectContaining({ removed: 0, reworded: 0, moved: 1 })]);
  });

  test('an index stored by another algorithm or schema is not read', () => {
    const data = build([{ ref: refOf(2022, 1), document: syntheticDocument([['a', 'A', [POOL[0]!]]], { edition: 2022 }) }]).toData();
    expect(isCurrentIndexData(data, 'series:example/report')).toBe(true);
    expect(isCurrentIndexData(data, 'series:other')).toBe(false);
    expect(isCurrentIndexData({ ...data, algorithm: `${PROVENANCE_ALGORITHM}+old` })).toBe(false);
    expect(isCurrentIndexData({ ...data, schemaVersion: 2 })).toBe(false);
    expect(isCurrentIndexData(null)).toBe(false);
  });

  test('real editions: building forward, backward or shuffled gives the same index (Tuvalu 2016-2024)', () => {
    const years = [2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024];
    const entries = years.map((year) => {
      const document = hrrDocument('tuvalu', year);
      return { ref: versionRef(document), document };
    });
    const expected = JSON.stringify(build(entries).toData());
    expect(JSON.stringify(build([...entries].reverse()).toData())).toBe(expected);
    expect(JSON.stringify(build([4, 0, 8, 2, 6, 1, 7, 3, 5].map((at) => entries[at]!)).toData())).toBe(expected);
  });
});
