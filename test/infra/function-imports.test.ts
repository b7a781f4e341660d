import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { functionBuildOptions, outputsLoadedAtStart, PROJECT_ROOT } from '../../infra/constructs/tracker-function.js';
import { FUNCTION_ENTRIES, FUNCTION_NAMES, type FunctionName } from '../../infra/stacks/stateless-stack.js';

/**
 * What each function loads at cold start, read from its bundle's metafile (built with the TrackerFunction's esbuild
 * settings, functionBuildOptions: ESM split into chunks): a structural fact, the same on any machine, where the import
 * TIME is the bench's business (`npm run bench -- bundles`). At start Node loads the entry chunk and the chunks it
 * imports statically (outputsLoadedAtStart); a module reached only through a dynamic import() is in a chunk loaded on
 * first use. The AWS SDK is external (the runtime ships it): an SDK package statically imported by a start chunk is
 * loaded at cold start, any other on first use. Issue 13: SNS, undici and the zod schemas only where used.
 */
const metafiles = new Map<FunctionName, Metafile>();

beforeAll(async () => {
  for (const name of FUNCTION_NAMES) {
    const { metafile } = await build({
      ...functionBuildOptions(FUNCTION_ENTRIES[name], join(PROJECT_ROOT, 'test-artifacts', 'function-imports', name)),
      write: false,
      logLevel: 'error',
    });
    metafiles.set(name, metafile);
  }
}, 300_000);

/** The SDK packages loaded at start (static imports of the start chunks) or on first use (every other import). */
function sdkImports(name: FunctionName, when: 'at start' | 'on first use'): string[] {
  const metafile = metafiles.get(name)!;
  const atStart = outputsLoadedAtStart(metafile);
  const packages = (outputs: string[], kinds: string[]) =>
    outputs.flatMap((output) =>
      metafile.outputs[output]!.imports.filter((entry) => entry.external && kinds.includes(entry.kind)).map((entry) => entry.path),
    );
  const startPackages = packages(atStart, ['import-statement']);
  const paths =
    when === 'at start'
      ? startPackages
      : [
          ...packages(Object.keys(metafile.outputs), ['dynamic-import']),
          ...packages(
            Object.keys(metafile.outputs).filter((output) => !atStart.includes(output)),
            ['import-statement'],
          ),
        ].filter((path) => !startPackages.includes(path));
  return [...new Set(paths.filter((path) => path.startsWith('@aws-sdk/')))].sort();
}

function bundledPackages(name: FunctionName): Set<string> {
  const inputs = Object.values(metafiles.get(name)!.outputs).flatMap((output) => Object.keys(output.inputs));
  return new Set(inputs.map((input) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1]).filter((name) => name !== undefined));
}

/** The bundle's inputs in the chunks Node loads at cold start; the others are in chunks loaded on first use. */
function loadedAtStart(name: FunctionName): Set<string> {
  const metafile = metafiles.get(name)!;
  return new Set(outputsLoadedAtStart(metafile).flatMap((output) => Object.keys(metafile.outputs[output]!.inputs)));
}

/** The inputs the entry does not reach through static imports and requires (only through some dynamic import). */
function onlyDynamicallyReached(metafile: Metafile): Set<string> {
  const entry = Object.values(metafile.outputs).find((output) => output.entryPoint !== undefined)!.entryPoint!;
  const reached = new Set([entry]);
  for (const input of reached) {
    for (const imported of metafile.inputs[input]!.imports) if (!imported.external && imported.kind !== 'dynamic-import') reached.add(imported.path);
  }
  return new Set(Object.keys(metafile.inputs).filter((input) => !reached.has(input)));
}

function bundledInputs(name: FunctionName): string[] {
  return Object.values(metafiles.get(name)!.outputs).flatMap((output) => Object.keys(output.inputs));
}

describe('what each function loads at cold start (bundle metafiles)', () => {
  it('loads SNS at start only in notify, which publishes on every invocation; capture and api load it on first use', () => {
    const atStart = Object.fromEntries(FUNCTION_NAMES.map((name) => [name, sdkImports(name, 'at start').includes('@aws-sdk/client-sns')]));
    expect(atStart).toEqual({ dispatch: false, capture: false, diff: false, notify: true, provenance: false, report: false, api: false });
    // Capture's failure alerts and the api function's subscription routes still reach SNS, through a dynamic import.
    expect(sdkImports('capture', 'on first use')).toContain('@aws-sdk/client-sns');
    expect(sdkImports('api', 'on first use')).toContain('@aws-sdk/client-sns');
  });

  it('loads at start only the SDK clients of the services the function reaches on every invocation', () => {
    const atStart = Object.fromEntries(FUNCTION_NAMES.map((name) => [name, sdkImports(name, 'at start')]));
    const dynamo = ['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb'];
    expect(atStart.dispatch).toEqual([...dynamo, '@aws-sdk/client-sqs'].sort());
    for (const name of ['capture', 'diff', 'api'] as const) expect(atStart[name]).toEqual([...dynamo, '@aws-sdk/client-s3'].sort());
    expect(FUNCTION_NAMES.filter((name) => atStart[name]!.includes('@aws-sdk/client-sqs'))).toEqual(['dispatch']);
  });

  it('bundles the HTTP client (undici) only in capture, and zod classic only in api (its schemas) and report', () => {
    const withUndici = FUNCTION_NAMES.filter((name) => bundledPackages(name).has('undici'));
    expect(withUndici).toEqual(['capture']);
    const withZodClassic = FUNCTION_NAMES.filter((name) =>
      Object.values(metafiles.get(name)!.outputs).some((output) =>
        Object.keys(output.inputs).some((input) => input.includes('node_modules/zod/v4/classic/')),
      ),
    );
    // The report function checks cached maps and reports with the edition report use case's schemas (zod classic):
    // a job runs for minutes, so its cold start does not matter.
    expect(withZodClassic).toEqual(['report', 'api']);
  });

  it("carries none of zod's error-message locales but English (zod is imported as a namespace, `import * as z`)", () => {
    // `import { z } from 'zod'` reads the `z` namespace object whole, locales and all (about 260 KiB of the api bundle,
    // which esbuild's splitting put in a chunk loaded at start, shared with zod/mini); `import * as z` lets it keep
    // only what is used.
    for (const name of FUNCTION_NAMES) {
      const locales = Object.values(metafiles.get(name)!.outputs).flatMap((output) =>
        Object.entries(output.inputs)
          .filter(([input, { bytesInOutput }]) => /node_modules\/zod\/v4\/locales\/(?!en\.js$|index\.js$)/.test(input) && bytesInOutput > 0)
          .map(([input]) => input.replace(/.*\/locales\//, '')),
      );
      expect({ name, locales }).toEqual({ name, locales: [] });
    }
  });

  it("loads each of the api function's route groups on its first request: no zod classic, feed, OpenAPI or UI view at start", () => {
    const atStart = [...loadedAtStart('api')];
    const bundled = bundledInputs('api');
    const deferred = [
      'node_modules/zod/v4/classic/', // the routes' zod schemas (config.ts uses zod/mini)
      'node_modules/feed/', // the Atom feeds
      'node_modules/zod-openapi/', // GET /openapi.json
      'functions/api/http/api-routes.ts', // the JSON routes
      'functions/api/http/provenance-routes.ts',
      'functions/api/http/all-routes.ts',
      'functions/api/http/openapi-document.ts',
      'functions/api/ui/ui-routes.ts', // the web UI: views, styles, the client script
      'functions/api/ui/ui-client-bundle.ts',
      'shared/use-cases/queries/revision-feeds.ts',
    ];
    for (const part of deferred) {
      // Still in the bundle (reached through a dynamic import), but in a chunk Node loads on the first request.
      expect({ part, bundled: bundled.some((input) => input.includes(part)) }).toEqual({ part, bundled: true });
      expect({ part, atStart: atStart.filter((input) => input.includes(part)) }).toEqual({ part, atStart: [] });
    }
    // Of the web UI, only its path prefix (ui-links.ts), which the handler uses to pick the group.
    expect(atStart.filter((input) => input.startsWith('functions/api/ui/'))).toEqual(['functions/api/ui/ui-links.ts']);
  });

  it('reads the fetched HTML with code the capture function loads on its first capture, not at cold start', () => {
    const atStart = [...loadedAtStart('capture')];
    const bundled = bundledInputs('capture');
    for (const part of ['shared/domain/extract.ts', 'node_modules/htmlparser2/', 'node_modules/entities/']) {
      expect({ part, bundled: bundled.some((input) => input.includes(part)) }).toEqual({ part, bundled: true });
      expect({ part, atStart: atStart.filter((input) => input.includes(part)) }).toEqual({ part, atStart: [] });
    }
  });

  it('loads the HTTP client (the fetcher and undici) on the first fetch, from chunks the capture function does not load at start', () => {
    const atStart = [...loadedAtStart('capture')];
    const bundled = bundledInputs('capture');
    const deferred = [
      'node_modules/undici/',
      'shared/adapters/outbound-http/http-fetcher.ts',
      'shared/adapters/outbound-http/undici-core.ts',
      'shared/adapters/outbound-http/guarded-connector.ts',
      'shared/adapters/outbound-http/robots-rules.ts',
    ];
    for (const part of deferred) {
      expect({ part, bundled: bundled.some((input) => input.includes(part)) }).toEqual({ part, bundled: true });
      expect({ part, atStart: atStart.filter((input) => input.includes(part)) }).toEqual({ part, atStart: [] });
    }
    // Of the fetch path, the start chunk keeps only the lazy wrapper that imports it.
    expect(atStart.filter((input) => input.includes('outbound-http') || input.includes('lazy-http-fetcher'))).toEqual([
      'shared/runtime/lazy-http-fetcher.ts',
    ]);
  });

  it('splits each bundle: the start chunks hold none of the code reached only through a dynamic import()', () => {
    for (const name of FUNCTION_NAMES) {
      const metafile = metafiles.get(name)!;
      const atStart = outputsLoadedAtStart(metafile);
      const onlyDynamic = onlyDynamicallyReached(metafile);
      const misplaced = atStart.flatMap((output) => Object.keys(metafile.outputs[output]!.inputs).filter((input) => onlyDynamic.has(input)));
      expect({ name, misplaced }).toEqual({ name, misplaced: [] });
    }
    // The api function and capture do defer code: their bundles have chunks beyond the start ones.
    for (const name of ['api', 'capture'] as const) {
      const metafile = metafiles.get(name)!;
      const outputs = Object.keys(metafile.outputs).filter((output) => output.endsWith('.mjs'));
      expect(outputs.length).toBeGreaterThan(outputsLoadedAtStart(metafile).length);
    }
  });

  it("imports no Node built-in with node:http's lazy getters through ESM at start (they would load Node's own undici)", () => {
    const withHttpImport = FUNCTION_NAMES.filter((name) =>
      Object.values(metafiles.get(name)!.outputs).some((output) =>
        output.imports.some((entry) => entry.external && entry.kind === 'import-statement' && /^(node:)?http$/.test(entry.path)),
      ),
    );
    expect(withHttpImport).toEqual([]);
  });
});
