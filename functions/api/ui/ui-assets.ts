import { createHash } from 'node:crypto';
import { UI_CLIENT_JS } from './ui-client-bundle.js';
import { UI_CSS } from './ui-styles.js';

/**
 * The stylesheet and the progressive-enhancement script, served under names that carry their content hash, so they
 * are cached as immutable and a new deployment never mixes old and new files. Both are bundled into the function:
 * nothing is read from disk at run time.
 */
export interface UiAsset {
  name: string;
  contentType: string;
  body: string;
}

function hashed(base: string, extension: string, contentType: string, body: string): UiAsset {
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  return { name: `${base}-${hash}.${extension}`, contentType, body };
}

export const UI_ASSETS = {
  css: hashed('ui', 'css', 'text/css; charset=utf-8', UI_CSS),
  script: hashed('ui', 'js', 'text/javascript; charset=utf-8', UI_CLIENT_JS),
} as const;

export function findAsset(name: string): UiAsset | undefined {
  return Object.values(UI_ASSETS).find((asset) => asset.name === name);
}

/**
 * Pages load nothing from elsewhere and run no inline script; forms post only here. The subscription form's
 * script calls this API (connect-src 'self').
 */
export const UI_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');
