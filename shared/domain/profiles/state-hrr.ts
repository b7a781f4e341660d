import { numberLabel, splitHeadingNumber } from '../section-keys.js';
import { isCommonChrome } from './generic.js';
import { hasClass, type Profile } from './profile.js';
import { cleanSiteTitle, identifyReport, recogniseReport, REPORT_HOME, reportPath, reportSignals } from './state-hrr-identity.js';

/**
 * U.S. State Department, Country Reports on Human Rights Practices (www.state.gov, editions 2016-2024).
 * Layout notes: test/fixtures/corpus/README.md. The outline is normalised across the site's layouts:
 *   rank 1  Executive Summary and the numbered Sections (h2/h3.report__section-title; number from "Section N.")
 *   rank 2  lettered sub-sections ("a. ...", h3.report__section-subtitle)
 *   rank 3  sub-headings: bare h4 (2016-18, often ALL CAPS), unlettered subtitles (2019-20), h4#...__h4-K (2021-24)
 *   rank 4+ h5, h6 (2024)
 * so the same sub-heading sits at the same place, and gets the same key, in every edition.
 */

export const stateHrrProfile: Profile = {
  name: 'state-hrr',
  requiresHeadings: true,
  // The summary's verdicts: a finding of no abuses at all, and the formula that opened the list of abuses (2021-).
  keyPhrases: ['no credible reports of significant human rights abuses', 'significant human rights issues included credible reports of'],
  hosts: [new URL(REPORT_HOME).hostname],
  // The path decides, not the host, so mirrors, archives and the local demo site are read the same way.
  matches: (url) => reportPath(url) !== undefined,
  identify: (url, evidence) => identifyReport(url, evidence),
  recognise: recogniseReport,
  signals: reportSignals,
  isBodyRoot: (element) => element.name === 'section' && hasClass(element, 'report__main'),
  isChrome: (element) => isCommonChrome(element) || hasClass(element, 'report__tags') || hasClass(element, 'icon-svg'),
  isHeading: (element) => /^h[1-6]$/.test(element.name),
  isNumberLabel: (element) => hasClass(element, 'report-toc-section'),
  isNavigation: (text) => /^read (?:a )?section\b/i.test(text),
  isTitleElement: (element) => element.name === 'h1' && hasClass(element, 'report-header__headline'),
  cleanTitle: cleanSiteTitle,
  readHeading(element, text, context) {
    const id = element.attributes.id ?? '';
    if (hasClass(element, 'report__section-title') || id === 'report-toc__exec-summary') {
      const label = context.pendingLabel ? numberLabel(context.pendingLabel) : undefined;
      const own = splitHeadingNumber(text);
      return { rank: 1, heading: own.heading, number: label ?? own.label };
    }
    if (hasClass(element, 'report__section-subtitle')) {
      const { heading, label } = splitHeadingNumber(text);
      if (label && /^[a-z]$/i.test(label)) return { rank: 2, heading, number: label.toLowerCase(), nested: true };
      return { rank: 3, heading };
    }
    const level = Number(element.name.slice(1));
    if (level <= 3) return { rank: level === 3 ? 2 : 1, heading: text };
    return { rank: level - 1, heading: text };
  },
};
