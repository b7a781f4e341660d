import { significanceWords } from '../../functions/api/ui/browse-views.js';
import { editionRanges } from '../../functions/api/ui/view-query.js';
import { seriesName } from '../../shared/domain/series-name.js';

/** What the UI says in words instead of numbers and ids. */
describe('words for readers', () => {
  test('significance as the share of the text changed', () => {
    expect(significanceWords(0.0024)).toBe('about 0.24% of the text changed');
    expect(significanceWords(0.05)).toBe('about 5% of the text changed');
    expect(significanceWords(0.3333)).toBe('about 33% of the text changed');
    expect(significanceWords(0)).toBe('no wording changed');
    expect(significanceWords(1)).toBe('all of the text changed');
  });

  test('a series by name: the newest title without its edition year, or the id before any capture', () => {
    expect(seriesName('hrr/kazakhstan', { title: '2024 Country Reports on Human Rights Practices: Kazakhstan', edition: 2024 })).toBe(
      'Country Reports on Human Rights Practices: Kazakhstan',
    );
    expect(
      seriesName('hrr/china', {
        title: '2023 Country Reports on Human Rights Practices: China (Includes Hong Kong, Macau, and Tibet)',
        edition: 2023,
      }),
    ).toBe('Country Reports on Human Rights Practices: China (Includes Hong Kong, Macau, and Tibet)');
    // A year that is not the edition's stays (it is part of the name).
    expect(seriesName('x/y', { title: 'Report on the 1994 Genocide: Annual Update 2023', edition: 2023 })).toBe(
      'Report on the 1994 Genocide: Annual Update',
    );
    expect(seriesName('hrr/andorra', undefined)).toBe('hrr/andorra');
    expect(seriesName('hrr/andorra', { title: '  ', edition: 2024 })).toBe('hrr/andorra');
  });

  test('edition ranges', () => {
    expect(editionRanges([2016, 2017, 2018, 2020, 2022, 2023])).toBe('2016-2018, 2020, 2022-2023');
    expect(editionRanges([2024])).toBe('2024');
    expect(editionRanges([])).toBe('');
  });
});
