import { existsSync } from 'node:fs';

/**
 * The Chromium to drive: `REDLINE_CHROMIUM` when set (a system browser, the documented fallback), otherwise the one
 * shipped inside the npm package @sparticuz/chromium, unpacked once into the temporary folder (the default export,
 * Jest's global setup, does it before the test workers start, so two workers never unpack it at once).
 */
export async function chromiumExecutable(): Promise<string> {
  const configured = process.env.REDLINE_CHROMIUM;
  if (configured) {
    if (!existsSync(configured)) throw new Error(`REDLINE_CHROMIUM names ${configured}, which does not exist`);
    return configured;
  }
  const { default: packaged } = await import('@sparticuz/chromium');
  return packaged.executablePath();
}

/**
 * Jest global setup: unpack the npm-shipped Chromium (about 200 MB into the temporary folder) once, before the
 * workers start. A no-op when it is already unpacked. Self-contained: global setup is loaded without Jest's module
 * name mapping.
 */
export default async function unpackChromium(): Promise<void> {
  await chromiumExecutable();
}
