import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { ESM_REQUIRE_BANNER, TrackerFunction } from '../../infra/constructs/tracker-function.js';

const ENTRY = fileURLToPath(new URL('./fixtures/echo-handler.ts', import.meta.url));
const DEFERRED_ENTRY = fileURLToPath(new URL('./fixtures/deferred-handler.ts', import.meta.url));

describe('TrackerFunction', () => {
  let outdir: string;
  let template: Template;
  let deferredTemplate: Template;

  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), 'redline-fn-'));
    const app = new App({ outdir });
    const stack = new Stack(app, 'FunctionDefaults');
    new TrackerFunction(stack, 'Echo', {
      entry: ENTRY,
      serviceName: 'echo',
      description: 'test function',
      logLevel: 'WARN',
      logRetention: RetentionDays.ONE_MONTH,
      logRemovalPolicy: RemovalPolicy.RETAIN,
      timeout: Duration.seconds(20),
      reservedConcurrentExecutions: 3,
      environment: { EXTRA: 'yes' },
    });
    const deferredStack = new Stack(app, 'DeferredCode');
    new TrackerFunction(deferredStack, 'Deferred', {
      entry: DEFERRED_ENTRY,
      serviceName: 'deferred',
      description: 'test function with a dynamic import',
      logLevel: 'WARN',
      logRetention: RetentionDays.ONE_MONTH,
      logRemovalPolicy: RemovalPolicy.DESTROY,
    });
    template = Template.fromStack(stack);
    deferredTemplate = Template.fromStack(deferredStack);
    app.synth();
  });
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('runs Node 22 on arm64 with active tracing, the given timeout and reserved concurrency', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      TracingConfig: { Mode: 'Active' },
      Timeout: 20,
      MemorySize: 512,
      ReservedConcurrentExecutions: 3,
    });
  });

  it('sets the Powertools environment and source-map support, keeping extra variables', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: {
          NODE_OPTIONS: '--enable-source-maps',
          POWERTOOLS_SERVICE_NAME: 'echo',
          POWERTOOLS_METRICS_NAMESPACE: 'redline',
          POWERTOOLS_LOG_LEVEL: 'WARN',
          EXTRA: 'yes',
        },
      },
    });
  });

  it('logs to its own log group with a retention, and may write only there', () => {
    const logGroups = template.findResources('AWS::Logs::LogGroup');
    const [logGroupId, logGroup] = Object.entries(logGroups)[0]!;
    expect(Object.keys(logGroups)).toHaveLength(1);
    expect(logGroup.Properties.RetentionInDays).toBe(30);
    expect(logGroup.DeletionPolicy).toBe('Retain');
    template.hasResourceProperties('AWS::Lambda::Function', { LoggingConfig: { LogGroup: { Ref: logGroupId } } });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': [logGroupId, 'Arn'] } },
        ]),
      },
    });
  });

  it('has a role with no managed policies and nothing but logs and X-Ray', () => {
    const [role] = Object.values(template.findResources('AWS::IAM::Role'));
    expect(role!.Properties.ManagedPolicyArns).toBeUndefined();
    expect(role!.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
    ]);
    const actions = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((policy) =>
      policy.Properties.PolicyDocument.Statement.flatMap((statement: { Action: string | string[] }) => statement.Action),
    );
    expect(actions.sort()).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
  });

  /** The asset's S3 key is `<hash>.zip`; the cloud assembly keeps the bundle in `asset.<hash>/`. */
  function assetFolder(functionTemplate: Template): string {
    const [lambdaFunction] = Object.values(functionTemplate.findResources('AWS::Lambda::Function'));
    const s3Key = lambdaFunction!.Properties.Code.S3Key as string;
    return join(outdir, `asset.${s3Key.replace(/\.zip$/, '')}`);
  }

  describe('its bundle', () => {
    let bundleDir: string;
    beforeAll(() => {
      bundleDir = assetFolder(template);
    });

    it('is one minified ESM file with a linked source map and the createRequire banner', () => {
      expect(existsSync(join(bundleDir, 'index.mjs'))).toBe(true);
      expect(existsSync(join(bundleDir, 'index.mjs.map'))).toBe(true);
      const code = readFileSync(join(bundleDir, 'index.mjs'), 'utf8');
      expect(code.startsWith(ESM_REQUIRE_BANNER)).toBe(true);
      expect(code).toMatch(/\/\/# sourceMappingURL=index\.mjs\.map\s*$/);
      expect(code.split('\n').length).toBeLessThan(10);
      const map = JSON.parse(readFileSync(join(bundleDir, 'index.mjs.map'), 'utf8')) as { sources: string[]; sourcesContent?: unknown };
      expect(map.sources.some((source) => source.endsWith('echo-handler.ts'))).toBe(true);
      expect(map.sourcesContent).toBeUndefined();
    });

    it('runs in a fresh Node process: CommonJS require works, and stack traces point at the TypeScript source', () => {
      const script = `const { handler } = await import(${JSON.stringify(join(bundleDir, 'index.mjs'))}); console.log(JSON.stringify(await handler({ ping: 1 })));`;
      const output = execFileSync(process.execPath, ['--enable-source-maps', '--input-type=module', '-e', script], {
        env: { PATH: process.env.PATH, POWERTOOLS_SERVICE_NAME: 'echo' },
        encoding: 'utf8',
      });
      const result = JSON.parse(output) as { event: unknown; platform: string; service: string; stack: string };
      expect(result).toMatchObject({ event: { ping: 1 }, platform: process.platform, service: 'echo' });
      expect(result.stack).toMatch(/echo-handler\.ts:\d+/);
    });
  });

  describe('a bundle with a dynamic import', () => {
    let bundleDir: string;
    beforeAll(() => {
      bundleDir = assetFolder(deferredTemplate);
    });

    it('is split: the module reached only through import() is in a chunk of its own, beside index.mjs in the asset', () => {
      const files = readdirSync(bundleDir);
      const modules = files.filter((file) => file.endsWith('.mjs'));
      // esbuild names a dynamically imported module's chunk after it; helpers shared by chunks go to `chunk-<hash>.mjs`.
      const deferred = modules.filter((file) => /^deferred-part-\w+\.mjs$/.test(file));
      expect(deferred).toHaveLength(1);
      expect(modules).toContain('index.mjs');
      expect(files.sort()).toEqual(modules.flatMap((file) => [file, `${file}.map`]).sort());
      const code = (file: string) => readFileSync(join(bundleDir, file), 'utf8');
      expect(code('index.mjs')).not.toContain('redline-deferred-part');
      expect(code(deferred[0]!)).toContain('redline-deferred-part');
      for (const file of modules) {
        // Every chunk is an ES module of its own: each has the createRequire banner and a linked source map.
        expect(code(file).startsWith(ESM_REQUIRE_BANNER)).toBe(true);
        expect(code(file).trimEnd().endsWith(`//# sourceMappingURL=${file}.map`)).toBe(true);
      }
      deferredTemplate.hasResourceProperties('AWS::Lambda::Function', { Handler: 'index.handler', Runtime: 'nodejs22.x', Architectures: ['arm64'] });
    });

    it('runs the deferred module on the call that imports it, from the asset, with require and source maps', () => {
      const run = (event: unknown) => {
        const entry = JSON.stringify(join(bundleDir, 'index.mjs'));
        const script = `const { handler } = await import(${entry}); console.log(JSON.stringify(await handler(${JSON.stringify(event)})));`;
        const output = execFileSync(process.execPath, ['--enable-source-maps', '--input-type=module', '-e', script], {
          env: { PATH: process.env.PATH },
          encoding: 'utf8',
        });
        return JSON.parse(output) as Record<string, string | boolean>;
      };
      expect(run({})).toEqual({ used: false });
      const result = run({ use: true });
      expect(result).toMatchObject({ used: true, marker: 'redline-deferred-part', platform: process.platform });
      expect(result.stack).toMatch(/deferred-part\.ts:\d+/);
    });
  });
});
