import { splitHeadingNumber } from '../section-keys.js';
import type { ElementInfo, Profile } from './profile.js';

const CHROME_TAGS = new Set([
  'nav',
  'header',
  'footer',
  'aside',
  'form',
  'button',
  'script',
  'style',
  'noscript',
  'template',
  'svg',
  'iframe',
  'select',
  'dialog',
  'object',
  'canvas',
]);
const CHROME_ROLES = new Set(['navigation', 'banner', 'contentinfo', 'complementary', 'search', 'dialog', 'alert']);
const CHROME_CLASSES = new Set([
  'cookie',
  'cookie-banner',
  'promo',
  'advert',
  'advertisement',
  'share',
  'social',
  'breadcrumb',
  'breadcrumbs',
  'skip-link',
  'sr-only',
  'screen-reader-text',
  'visually-hidden',
  'newsletter',
]);

/** Chrome that any site can carry: landmarks, scripts, hidden and assistive-only elements. */
export function isCommonChrome(element: ElementInfo): boolean {
  if (CHROME_TAGS.has(element.name)) return true;
  const { attributes } = element;
  if (attributes.hidden !== undefined || attributes['aria-hidden'] === 'true') return true;
  if (attributes.role && CHROME_ROLES.has(attributes.role)) return true;
  return attributes.class !== undefined && attributes.class.split(/\s+/).some((name) => CHROME_CLASSES.has(name));
}

/** Any site: the main/article landmark (else the body), an h1-h6 outline, chrome removed. */
export const genericProfile: Profile = {
  name: 'generic',
  requiresHeadings: false,
  matches: () => true,
  identify: () => ({}),
  isBodyRoot: (element) => element.name === 'main' || element.attributes.role === 'main' || element.name === 'article',
  isFallbackBodyRoot: (element) => element.name === 'body',
  isChrome: isCommonChrome,
  isHeading: (element) => /^h[1-6]$/.test(element.name),
  readHeading(element, text) {
    const { heading, label } = splitHeadingNumber(text);
    return { rank: Number(element.name.slice(1)), heading, number: label };
  },
};
