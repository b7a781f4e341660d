import { Parser } from 'htmlparser2';
import { extract } from '../../shared/domain/extract.js';
import { corpusPages, loadCorpusPage } from '../../test/support/corpus.js';
import { round, timeMedian, type SuiteResult } from '../bench-kit.js';

/**
 * (b) Extraction throughput in MB/s over every corpus page, against plain htmlparser2 tokenising of the same
 * bytes with no-op callbacks: the practical ceiling for any extractor built on it.
 */
export function extractionThroughputSuite(runs = 5): SuiteResult {
  const pages = corpusPages().map((page) => loadCorpusPage(page.country, page.year));
  const megabytes = pages.reduce((total, html) => total + Buffer.byteLength(html), 0) / 1e6;
  const extractMs = timeMedian(runs, () => {
    for (const html of pages) extract(html);
  });
  const tokeniseMs = timeMedian(runs, () => {
    for (const html of pages) {
      const parser = new Parser({ onopentag() {}, ontext() {}, onclosetag() {} }, { decodeEntities: true });
      parser.write(html);
      parser.end();
    }
  });
  const extractRate = megabytes / (extractMs / 1000);
  const ceilingRate = megabytes / (tokeniseMs / 1000);
  const fraction = extractRate / ceilingRate;
  const rows = [
    {
      suite: 'extraction',
      case: `redline extract (${pages.length} pages)`,
      mb: round(megabytes),
      ms: round(extractMs),
      mb_per_s: round(extractRate),
    },
    { suite: 'extraction', case: 'htmlparser2 tokenise (ceiling)', mb: round(megabytes), ms: round(tokeniseMs), mb_per_s: round(ceilingRate) },
  ];
  return {
    suite: 'extraction',
    rows,
    summary: {
      extract_mb_per_s: round(extractRate),
      ceiling_mb_per_s: round(ceilingRate),
      fraction_of_ceiling: round(fraction, 3),
      target: '>= 0.5 of the ceiling',
      met: fraction >= 0.5,
    },
  };
}
