/**
 * The sample's edition report figures, 2023 -> 2024, per series: [series, words 2023, words 2024, ratio], deepest
 * cut first. Checked by hand in test/domain/edition-report.test.ts (word counts against a whitespace split of each
 * edition's plain text, headings left out, recomputed there; ratios from them); the use case, the API's job path and
 * the synchronous path must give the same.
 */
export const SAMPLE_SERIES_FIGURES_2023_2024: ReadonlyArray<readonly [string, number, number, number]> = [
  ['hrr/tuvalu', 2659, 842, 0.317],
  ['hrr/kazakhstan', 12535, 4492, 0.358],
  ['hrr/russia', 20832, 8060, 0.387],
  ['hrr/nigeria', 7786, 3374, 0.433],
  ['hrr/andorra', 2812, 1232, 0.438],
  ['hrr/china', 18322, 8195, 0.447],
];
