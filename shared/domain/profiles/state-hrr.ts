import { numberLabel, splitHeadingNumber } from '../section-keys.js';
import { isCommonChrome } from './generic.js';
import { hasClass, type Profile } from './profile.js';

/**
 * U.S. State Department, Country Reports on Human Rights Practices (www.state.gov, editions 2016-2024).
 * Layout notes: ../shared/corpus/README.md. The outline is normalised across the site's layouts:
 *   rank 1  Executive Summary and the numbered Sections (h2/h3.report__section-title; number from "Section N.")
 *   rank 2  lettered sub-sections ("a. ...", h3.report__section-subtitle)
 *   rank 3  sub-headings: bare h4 (2016-18, often ALL CAPS), unlettered subtitles (2019-20), h4#...__h4-K (2021-24)
 *   rank 4+ h5, h6 (2024)
 * so the same sub-heading sits at the same place, and gets the same key, in every edition.
 */

const REPORT_PATH = /^\/reports\/(\d{4})-country-reports-on-human-rights-practices\/([a-z0-9-]+)(?:\/([a-z0-9-]+))?\/?$/;

/** Slugs the site renamed between editions, mapped to the series name used for every edition. */
const SERIES_SLUG_ALIASES: Readonly<Record<string, string>> = {
  'china-includes-tibet-hong-kong-and-macau': 'china',
  'china-includes-tibet-hong-kong-and-macau-china': 'china',
};

const SITE_TITLE_SUFFIX = / [-\u2013|] United States Department of State$/;

export const stateHrrProfile: Profile = {
  name: 'state-hrr',
  requiresHeadings: true,
  // The path decides, not the host, so mirrors and the local demo site are read the same way.
  matches: (url) => REPORT_PATH.test(url.pathname),
  identify(url) {
    const match = REPORT_PATH.exec(url.pathname);
    if (!match) return {};
    const [, year, slug, part] = match as unknown as [string, string, string, string | undefined];
    const country = SERIES_SLUG_ALIASES[slug] ?? slug;
    return { series: part ? `hrr/${country}/${part}` : `hrr/${country}`, edition: Number(year) };
  },
  isBodyRoot: (element) => element.name === 'section' && hasClass(element, 'report__main'),
  isChrome: (element) => isCommonChrome(element) || hasClass(element, 'report__tags') || hasClass(element, 'icon-svg'),
  isHeading: (element) => /^h[1-6]$/.test(element.name),
  isNumberLabel: (element) => hasClass(element, 'report-toc-section'),
  isNavigation: (text) => /^read (?:a )?section\b/i.test(text),
  isTitleElement: (element) => element.name === 'h1' && hasClass(element, 'report-header__headline'),
  cleanTitle: (title) => title.replace(SITE_TITLE_SUFFIX, ''),
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
