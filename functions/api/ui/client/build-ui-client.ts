import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/**
 * Bundles the browser script (ui-client.ts) with esbuild into ui-client-bundle.ts, a module holding the minified
 * JavaScript as a string, so the api function serves it without reading files (it runs the same in Lambda).
 * Run after editing the client: `npm run build:ui`. A test fails when the committed bundle is stale
 * (test/ui/ui-rendering.test.ts).
 */
export const CLIENT_ENTRY = fileURLToPath(new URL('./ui-client.ts', import.meta.url));
export const BUNDLE_MODULE = fileURLToPath(new URL('../ui-client-bundle.ts', import.meta.url));

export async function buildUiClient(): Promise<string> {
  const result = await build({
    entryPoints: [CLIENT_ENTRY],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    legalComments: 'none',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

export function bundleModuleSource(script: string): string {
  return (
    '// Generated from client/ui-client.ts by client/build-ui-client.ts: do not edit by hand.\n' +
    `export const UI_CLIENT_JS = ${JSON.stringify(script)};\n`
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const source = bundleModuleSource(await buildUiClient());
  await writeFile(BUNDLE_MODULE, source);
  process.stdout.write(`wrote ${BUNDLE_MODULE} (${source.length} bytes)\n`);
}
