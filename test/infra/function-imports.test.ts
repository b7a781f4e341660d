import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { ESBUILD_ALIAS, ESBUILD_TARGET, ESM_REQUIRE_BANNER, PROJECT_ROOT } from '../../infra/constructs/tracker-function.js';
import { FUNCTION_ENTRIES, FUNCTION_NAMES, type FunctionName } from '../../infra/stacks/stateless-stack.js';

/**
 * What each function loads at cold start, read from its bundle's metafile (built with the TrackerFunction's esbuild
 * settings): a structural fact, the same on any machine, where the import TIME is the bench's business
 * (`npm run bench -- bundles`). The AWS SDK is external (the runtime ships it): an SDK package statically imported
 * by the bundle is loaded at cold start, a dynamically imported one on first use. Issue 13: SNS, undici and the zod
 * schemas only where used.
 */
const metafiles = new Map<FunctionName, Metafile>();

beforeAll(async () => {
  for (const name of FUNCTION_NAMES) {
    const { metafile } = await build({
      entryPoints: [join(PROJECT_ROOT, FUNCTION_ENTRIES[name])],
      outfile: join(PROJECT_ROOT, 'test-artifacts', 'function-imports', `${name}.mjs`),
      write: false,
      metafile: true,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: ESBUILD_TARGET,
      mainFields: ['module', 'main'],
      minify: true,
      banner: { js: ESM_REQUIRE_BANNER },
      external: ['@aws-sdk/*'],
      alias: ESBUILD_ALIAS,
      logLevel: 'error',
    });
    metafiles.set(name, metafile);
  }
}, 300_000);

function sdkImports(name: FunctionName, kind: 'import-statement' | 'dynamic-import'): string[] {
  const outputs = Object.values(metafiles.get(name)!.outputs);
  const paths = outputs.flatMap((output) => output.imports.filter((entry) => entry.external && entry.kind === kind).map((entry) => entry.path));
  return [...new Set(paths.filter((path) => path.startsWith('@aws-sdk/')))].sort();
}

function bundledPackages(name: FunctionName): Set<string> {
  const inputs = Object.values(metafiles.get(name)!.outputs).flatMap((output) => Object.keys(output.inputs));
  return new Set(inputs.map((input) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1]).filter((name) => name !== undefined));
}

/**
 * The bundle's inputs evaluated at cold start: those the entry reaches through static imports and requires. An input
 * reached only through a dynamic import() is still in the single-file bundle, but esbuild wraps it in a lazy
 * initialiser that runs on that import, on first use.
 */
function loadedAtStart(name: FunctionName): Set<string> {
  const inputs = metafiles.get(name)!.inputs;
  const entry = Object.keys(inputs).find((input) => input.endsWith(FUNCTION_ENTRIES[name]))!;
  const reached = new Set([entry]);
  for (const input of reached) {
    for (const imported of inputs[input]!.imports) if (!imported.external && imported.kind !== 'dynamic-import') reached.add(imported.path);
  }
  return reached;
}

function bundledInputs(name: FunctionName): string[] {
  return Object.values(metafiles.get(name)!.outputs).flatMap((output) => Object.keys(output.inputs));
}

describe('what each function loads at cold start (bundle metafiles)', () => {
  it('loads SNS at start only in notify, which publishes on every invocation; capture and api load it on first use', () => {
    const atStart = Object.fromEntries(FUNCTION_NAMES.map((name) => [name, sdkImports(name, 'import-statement').includes('@aws-sdk/client-sns')]));
    expect(atStart).toEqual({ dispatch: false, capture: false, diff: false, notify: true, provenance: false, report: false, api: false });
    // Capture's failure alerts and the api function's subscription routes still reach SNS, through a dynamic import.
    expect(sdkImports('capture', 'dynamic-import')).toContain('@aws-sdk/client-sns');
    expect(sdkImports('api', 'dynamic-import')).toContain('@aws-sdk/client-sns');
  });

  it('loads at start only the SDK clients of the services the function reaches on every invocation', () => {
    const atStart = Object.fromEntries(FUNCTION_NAMES.map((name) => [name, sdkImports(name, 'import-statement')]));
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
      // Still in the bundle (reached through a dynamic import), but not evaluated at cold start.
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

  it("imports no Node built-in with node:http's lazy getters through ESM at start (they would load Node's own undici)", () => {
    const withHttpImport = FUNCTION_NAMES.filter((name) =>
      Object.values(metafiles.get(name)!.outputs).some((output) =>
        output.imports.some((entry) => entry.external && entry.kind === 'import-statement' && /^(node:)?http$/.test(entry.path)),
      ),
    );
    expect(withHttpImport).toEqual([]);
  });
});
