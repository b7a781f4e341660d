import { sectionAcrossEditions } from '../../shared/domain/provenance/section-lineage.js';
import { seriesIndex } from './provenance-fixture.js';

/** Kazakhstan 2016-2024: the Torture section followed through the 2024 restructuring (checked in the page texts). */
const index = seriesIndex('kazakhstan');

describe('a section across the editions of a series', () => {
  test('Torture, from 1.c in 2016-2023 to 3.a "Torture and Cruel, Inhuman, or Degrading Treatment or Punishment" in 2024', () => {
    const history = sectionAcrossEditions(index, 2024, 'security-of-the-person/torture-and-cruel-inhuman-or-degrading')!;
    expect(history.heading).toBe('Torture and Cruel, Inhuman, or Degrading Treatment or Punishment');
    expect(history.editions.map((entry) => entry.edition)).toEqual([2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024]);
    const y2023 = history.editions.find((entry) => entry.edition === 2023)!;
    const y2024 = history.editions.find((entry) => entry.edition === 2024)!;
    expect(y2023.key).toBe('respect-for-the-integrity-of-the-person/torture-and-other-cruel-inhuman-or-degrading');
    expect(y2023.heading).toBe('Torture and Other Cruel, Inhuman, or Degrading Treatment or Punishment, and Other Related Abuses');
    expect(y2024).toMatchObject({ key: 'security-of-the-person/torture-and-cruel-inhuman-or-degrading', renamed: true });
    for (const entry of history.editions) {
      expect(entry.sentences).toBeGreaterThan(0);
      expect(entry.words).toBeGreaterThan(entry.sentences);
    }
    // The 2024 edition cut most of the section: more sentences went than came.
    expect(y2024.removed!).toBeGreaterThan(y2024.added!);
    expect(history.editions[0]!.added).toBeUndefined();
  });

  test('an unknown edition or key gives nothing', () => {
    expect(sectionAcrossEditions(index, 1999, 'executive-summary')).toBeUndefined();
    expect(sectionAcrossEditions(index, 2024, 'no/such/section')).toBeUndefined();
  });
});
