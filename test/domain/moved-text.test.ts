import { diffDocuments } from '../../shared/domain/diff-documents.js';
import { findMovedParagraphs } from '../../shared/domain/moved-text.js';
import { hrrDocument } from '../provenance/provenance-fixture.js';
import { buildDocument } from './diff-fixtures.js';

/** Moved paragraphs: deleted in one section and inserted, with the same text, in another. */
describe('moved paragraphs in a diff', () => {
  test('Kazakhstan 2023 -> 2024: the arrest-procedure paragraphs moved to "Prolonged Detention without Charges"', () => {
    const diff = diffDocuments(hrrDocument('kazakhstan', 2023), hrrDocument('kazakhstan', 2024));
    const { moves } = findMovedParagraphs(diff);
    expect(moves.length).toBeGreaterThan(0);
    const duration = moves.find((move) =>
      diff.sections[move.from.section]!.paragraphs[move.from.paragraph]!.before!.startsWith('The duration of preliminary detention'),
    );
    expect(duration).toBeDefined();
    expect(diff.sections[duration!.from.section]!.heading).toBe('Arrest Procedures and Treatment of Detainees');
    expect(diff.sections[duration!.to.section]!.heading).toBe('Prolonged Detention without Charges');
    for (const move of moves) {
      const before = diff.sections[move.from.section]!.paragraphs[move.from.paragraph]!;
      const after = diff.sections[move.to.section]!.paragraphs[move.to.paragraph]!;
      expect([before.kind, after.kind]).toEqual(['removed', 'added']);
      expect(after.after!.toLowerCase().replace(/\s+/g, ' ')).toBe(before.before!.toLowerCase().replace(/\s+/g, ' '));
      expect(move.from.section).not.toBe(move.to.section);
    }
  });

  test('pairs one to one, ignores moves within a section and very short paragraphs', () => {
    const repeated = 'The government did not enforce the law effectively in this area.';
    const before = buildDocument([
      { heading: 'A', paragraphs: [repeated, repeated, 'None.', 'Stays here, but reordered within its section.', 'Another paragraph here.'] },
      { heading: 'B', paragraphs: ['Kept.'] },
    ]);
    const after = buildDocument([
      { heading: 'A', paragraphs: ['Another paragraph here.', 'Stays here, but reordered within its section.'] },
      { heading: 'B', paragraphs: ['Kept.', 'None.', repeated.toUpperCase()] },
    ]);
    const diff = diffDocuments(before, after);
    const { moves } = findMovedParagraphs(diff);
    // Two copies deleted from A, one inserted in B: one move; "None." is too short to call moved.
    expect(moves).toHaveLength(1);
    expect(diff.sections[moves[0]!.to.section]!.heading).toBe('B');
  });
});
