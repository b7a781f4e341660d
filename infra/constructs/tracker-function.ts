import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AssetHashType, Duration, type RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { buildSync, type BuildOptions, type Metafile } from 'esbuild';
import type { PowertoolsLogLevel } from '../config/stages.js';
import { acknowledge } from '../nag/acknowledge.js';

/** The repository root: entries, package-lock.json and tsconfig.json are resolved from here. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Node 22 is the major the tests and the bundle checks run on (the `node` devDependency); moving to 24 is this
 * line plus the `target` below, together with that devDependency.
 */
export const TRACKER_RUNTIME = lambda.Runtime.NODEJS_22_X;
export const ESBUILD_TARGET = 'node22';

export const METRICS_NAMESPACE = 'redline';

/**
 * ESM bundles have no `require`; some CommonJS dependencies call it for Node built-ins. The alias keeps the name
 * from clashing with anything the bundle itself declares.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __redlineCreateRequire } from 'node:module'; const require = __redlineCreateRequire(import.meta.url);";

/**
 * Imports the bundles redirect (esbuild `alias`). `node:http`: a static ESM import of a Node built-in reads every one
 * of its exports, and node:http's lazy getters (WebSocket, MessageEvent, ...) then load Node's internal undici; @middy/util
 * imports node:http that way (for STATUS_CODES), which cost the api function ~60 ms of cold start for nothing. The
 * CommonJS stand-in hands over the same module through `require`, which leaves the getters alone.
 */
export const ESBUILD_ALIAS: Readonly<Record<string, string>> = {
  'node:http': join(PROJECT_ROOT, 'shared/runtime/node-http.cjs'),
};

/** The file the Lambda runtime loads: `index.mjs` at the root of the asset, hence the handler `index.<name>`. */
export const BUNDLE_ENTRY_NAME = 'index';

/**
 * The esbuild settings of every function bundle, in one place: the TrackerFunction builds its asset with them, and
 * the bundle checks (test/infra/function-imports.test.ts) and the bench (bench/suites/bundles.ts) build the same.
 *
 * ESM with code splitting: `index.mjs` holds what the handler module reaches through static imports, and every
 * module reached only through a dynamic `import()` (the api function's route groups, capture's HTTP client and HTML
 * reader, SNS where it is occasional) lands in a chunk of its own beside it, which Node reads and parses on that
 * import, not at cold start. (In a one-file bundle esbuild defers the evaluation of such modules but the runtime
 * still parses all of their code at start.) Minified, Node 22, linked source maps without the sources' text, the
 * createRequire banner in every chunk, the AWS SDK left to the runtime.
 */
export function functionBuildOptions(entry: string, outdir: string): BuildOptions & { metafile: true } {
  return {
    entryPoints: { [BUNDLE_ENTRY_NAME]: entry.startsWith('/') ? entry : join(PROJECT_ROOT, entry) },
    outdir,
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    outExtension: { '.js': '.mjs' },
    target: ESBUILD_TARGET,
    mainFields: ['module', 'main'],
    minify: true,
    sourcemap: 'linked',
    sourcesContent: false,
    banner: { js: ESM_REQUIRE_BANNER },
    // The nodejs22.x runtime ships the AWS SDK v3; bundling it would add ~1 MB per client to every cold start.
    external: ['@aws-sdk/*'],
    alias: { ...ESBUILD_ALIAS },
    metafile: true,
    logLevel: 'warning',
    absWorkingDir: PROJECT_ROOT,
  };
}

/**
 * The files of a split bundle that Node loads when it imports the entry: the entry and the chunks it reaches through
 * static imports, transitively (metafile output paths). Every other chunk is loaded on a dynamic import, on first use.
 */
export function outputsLoadedAtStart(metafile: Metafile): string[] {
  const entry = Object.keys(metafile.outputs).find((output) => metafile.outputs[output]!.entryPoint !== undefined);
  if (entry === undefined) throw new Error('the metafile has no entry output');
  const reached = new Set([entry]);
  for (const output of reached) {
    for (const imported of metafile.outputs[output]!.imports) {
      if (!imported.external && imported.kind === 'import-statement') reached.add(imported.path);
    }
  }
  return [...reached];
}

/**
 * The function's code: the bundle of `entry`, built by esbuild's JS API in the CDK's local bundling step (esbuild is
 * a dev dependency, installed by `npm ci`). NodejsFunction bundles one file (`--outfile`), which code splitting does
 * not allow, so the construct hands it this asset through its documented `code` property instead. There is no Docker
 * fallback: the image's command only says so. `cdk synth --exclusively` (and tests that pass no bundling stacks)
 * skip the step as for any asset.
 */
export function functionCode(entry: string): lambda.Code {
  const entryPath = entry.startsWith('/') ? entry : join(PROJECT_ROOT, entry);
  return lambda.Code.fromAsset(PROJECT_ROOT, {
    // The hash of the bundle itself: hashing the source folder would read node_modules.
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      image: TRACKER_RUNTIME.bundlingImage,
      // Also tells the CDK's asset cache one entry from another (it keys on these options, not on `local`).
      command: ['bash', '-c', `echo "redline bundles ${entryPath} locally with esbuild (npm ci installs it), not in Docker" >&2; exit 1`],
      local: {
        tryBundle(outputDir: string): boolean {
          const { errors } = buildSync(functionBuildOptions(entryPath, outputDir));
          return errors.length === 0;
        },
      },
    },
  });
}

export interface TrackerFunctionProps {
  /** Entry file, relative to the repository root ("functions/capture/handler.ts") or absolute. */
  readonly entry: string;
  /** Exported handler name. */
  readonly handler?: string;
  /** POWERTOOLS_SERVICE_NAME, also used in the description. */
  readonly serviceName: string;
  readonly description: string;
  readonly logLevel: PowertoolsLogLevel;
  readonly logRetention: logs.RetentionDays;
  /** For the function's log group (RETAIN in prod keeps the logs of a deleted stack). */
  readonly logRemovalPolicy: RemovalPolicy;
  readonly timeout?: Duration;
  readonly memorySize?: number;
  /** Caps concurrency, e.g. to protect the sites being watched. */
  readonly reservedConcurrentExecutions?: number;
  readonly environment?: Readonly<Record<string, string>>;
}

/**
 * The defaults every redline function shares: Node 22 on arm64, a minified ESM bundle split into chunks
 * (functionBuildOptions) with source maps, X-Ray tracing, its own log group with a retention, the Powertools
 * environment, and a role that starts with nothing but writing to that log group. Permissions come only from the
 * bind helpers (bindings.ts).
 */
export class TrackerFunction extends NodejsFunction {
  readonly serviceName: string;

  constructor(scope: Construct, id: string, props: TrackerFunctionProps) {
    // Created beside the function (no `this` before super) so that the role is ours: the default role would
    // attach the AWSLambdaBasicExecutionRole managed policy, which allows writing to every log group.
    const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy,
    });
    const role = new iam.Role(scope, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `redline ${props.serviceName} function`,
    });

    super(scope, id, {
      code: functionCode(props.entry),
      handler: `${BUNDLE_ENTRY_NAME}.${props.handler ?? 'handler'}`,
      description: props.description,
      runtime: TRACKER_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(30),
      tracing: lambda.Tracing.ACTIVE,
      logGroup,
      role,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: props.logLevel,
        ...props.environment,
      },
    });
    this.serviceName = props.serviceName;
    logGroup.grantWrite(role);

    acknowledge(
      role,
      'AwsSolutions-IAM5[Resource::*]',
      'Actions with no resource-level permissions, which IAM only accepts on "*": xray:PutTraceSegments and xray:PutTelemetryRecords (active tracing), and dynamodb:ListStreams (granted by a DynamoDB stream event source).',
    );
    acknowledge(
      this,
      'AwsSolutions-L1',
      'Pinned to nodejs22.x on purpose: the tests and the bundle checks run on Node 22 (package.json devDependency "node"), so the runtime that ships is the one tested. TRACKER_RUNTIME moves to 24 with that dependency.',
    );
  }
}
