import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { createApiHandler } from '../../functions/api/api-handler.js';
import { DynamoRevisionStore } from '../../shared/adapters/dynamodb/dynamo-revision-store.js';
import { DynamoSubscriptionStore } from '../../shared/adapters/dynamodb/dynamo-subscription-store.js';
import { LocalSubscriptionGateway } from '../../local/runtime/subscription-notifier.js';
import { S3SnapshotStore } from '../../shared/adapters/s3/s3-snapshot-store.js';
import { localLambdaContext } from '../../shared/runtime/lambda-handler.js';
import { DEFAULT_TRACKER_SETTINGS } from '../../shared/use-cases/tracker-dependencies.js';
import { silentObservability } from '../hardening/support/hardening-kit.js';
import { startLocalAws, type LocalAws } from '../support/local-aws.js';
import { awsSolutionsFindings, synthRedline, type SynthesizedRedline } from './support/synth-redline.js';

/**
 * The secrets checks of issue 7 (the rest of them are test/hardening/security.test.ts): no function of the
 * synthesized stacks (prod stage) has a secret in its environment, the Lambda entry points read no secret from it,
 * and the deployed api function ignores REDLINE_API_TOKEN (IAM only); cdk-nag stays clean; the gateway's CORS
 * preflight is the handler's. Run by test/infra/infra.test.ts with the other CDK files (one aws-cdk-lib load).
 */
const API_TOKEN = 'security-test-token-0123456789';

describe('secrets', () => {
  // Within this describe: test/infra/infra.test.ts imports this file with the other CDK files.
  let aws: LocalAws;
  let handler: ReturnType<typeof createApiHandler>;

  beforeAll(async () => {
    aws = await startLocalAws();
    handler = createApiHandler(
      {
        revisions: new DynamoRevisionStore({ client: aws.dynamodb, tableName: aws.tableName }),
        snapshots: new S3SnapshotStore({ client: aws.s3, bucket: aws.bucketName }),
        subscriptions: new DynamoSubscriptionStore({ client: aws.dynamodb, tableName: aws.tableName }),
        subscriptionGateway: new LocalSubscriptionGateway(),
        now: () => new Date(),
        settings: DEFAULT_TRACKER_SETTINGS,
        // The default policy for submitted URLs: the SSRF guard, nothing allow-listed.
        api: { token: API_TOKEN },
      },
      silentObservability('api'),
    );
  }, 180_000);

  afterAll(async () => {
    await aws?.close();
  });

  const SECRET_NAME = /TOKEN|SECRET|PASSW|PRIVATE|CREDENTIAL|API_?KEY/i;
  let synthesized: SynthesizedRedline;

  beforeAll(() => {
    synthesized = synthRedline('prod', { bundle: false });
  }, 120_000);
  afterAll(() => synthesized?.cleanup());

  it('puts no secret in any function environment, and cdk-nag stays clean', () => {
    expect(synthesized.synthError).toBeUndefined();
    expect(awsSolutionsFindings(synthesized.report)).toEqual([]);
    const environments: Record<string, Record<string, unknown>> = {};
    for (const stack of [synthesized.stateful, synthesized.stateless!]) {
      const template = JSON.parse(readFileSync(`${synthesized.outdir}/${stack.templateFile}`, 'utf8')) as {
        Resources: Record<string, { Type: string; Properties?: { Environment?: { Variables?: Record<string, unknown> } } }>;
      };
      for (const [id, resource] of Object.entries(template.Resources)) {
        if (resource.Type === 'AWS::Lambda::Function') environments[id] = resource.Properties?.Environment?.Variables ?? {};
      }
    }
    expect(Object.keys(environments).length).toBeGreaterThanOrEqual(6);
    for (const [id, variables] of Object.entries(environments)) {
      expect([id, Object.keys(variables).filter((name) => SECRET_NAME.test(name))]).toEqual([id, []]);
      // Values are names and references (a table name, a queue URL), never long opaque literals.
      for (const value of Object.values(variables)) {
        if (typeof value === 'string') expect([id, value]).not.toEqual([id, expect.stringMatching(/^[A-Za-z0-9+/=_-]{32,}$/)]);
      }
    }
  });

  it('reads no secret from the environment in any Lambda entry point', () => {
    const functionsDir = fileURLToPath(new URL('../../functions/', import.meta.url));
    for (const name of readdirSync(functionsDir)) {
      let source: string;
      try {
        source = readFileSync(`${functionsDir}${name}/handler.ts`, 'utf8');
      } catch {
        continue;
      }
      expect([name, source.split('\n').filter((line) => !/^\s*\/\//.test(line) && SECRET_NAME.test(line))]).toEqual([name, []]);
    }
  });

  it('the deployed api function ignores REDLINE_API_TOKEN: only IAM opens the credentialed routes', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      REDLINE_TABLE: 'redline-table',
      REDLINE_BUCKET: 'redline-bucket',
      REDLINE_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:redline',
      REDLINE_API_TOKEN: API_TOKEN,
      AWS_REGION: 'us-east-1',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_METRICS_DISABLED: 'true',
    });
    try {
      const { handler: deployed } = await import('../../functions/api/handler.js');
      const event = {
        version: '2.0',
        routeKey: 'POST /watches',
        rawPath: '/watches',
        rawQueryString: '',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${API_TOKEN}` },
        body: JSON.stringify({ url: 'https://www.state.gov/reports/2024-country-reports-on-human-rights-practices/tuvalu/' }),
        isBase64Encoded: false,
        requestContext: {
          http: { method: 'POST', path: '/watches', protocol: 'HTTP/1.1', sourceIp: '203.0.113.1', userAgent: 'x' },
          domainName: 'api.example.org',
          stage: '$default',
        },
      } as unknown as APIGatewayProxyEventV2;
      const result = (await deployed(event, localLambdaContext('api'))) as { statusCode: number };
      expect(result.statusCode).toBe(401);
    } finally {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
    }
  });

  it('answers preflights at the gateway exactly as the function does', async () => {
    const apis = synthesized.app.node
      .findAll()
      .filter((construct) => (construct as { cfnResourceType?: string }).cfnResourceType === 'AWS::ApiGatewayV2::Api') as unknown as {
      corsConfiguration?: {
        allowOrigins?: string[];
        allowMethods?: string[];
        allowHeaders?: string[];
        exposeHeaders?: string[];
        maxAge?: number;
        allowCredentials?: boolean;
      };
    }[];
    expect(apis).toHaveLength(1);
    const gateway = apis[0]!.corsConfiguration!;
    const preflight = (await handler(
      {
        version: '2.0',
        routeKey: '$default',
        rawPath: '/watches',
        rawQueryString: '',
        headers: { origin: 'https://anywhere.example', 'access-control-request-method': 'POST' },
        isBase64Encoded: false,
        requestContext: { http: { method: 'OPTIONS', path: '/watches', protocol: 'HTTP/1.1', sourceIp: '203.0.113.1', userAgent: 'x' } },
      } as unknown as APIGatewayProxyEventV2,
      localLambdaContext('api'),
    )) as { statusCode: number; headers: Record<string, string> };
    const headers = Object.fromEntries(Object.entries(preflight.headers).map(([name, value]) => [name.toLowerCase(), String(value)]));
    const list = (value: string | undefined) =>
      (value ?? '')
        .split(',')
        .map((item) => item.trim().toLowerCase())
        .filter(Boolean)
        .sort();
    expect(list(headers['access-control-allow-origin'])).toEqual((gateway.allowOrigins ?? []).map((item) => item.toLowerCase()).sort());
    expect(list(headers['access-control-allow-methods']).filter((method) => method !== 'options')).toEqual(
      (gateway.allowMethods ?? []).map((item) => item.toLowerCase()).sort(),
    );
    expect(list(headers['access-control-allow-headers'])).toEqual((gateway.allowHeaders ?? []).map((item) => item.toLowerCase()).sort());
    expect(list(headers['access-control-expose-headers'])).toEqual((gateway.exposeHeaders ?? []).map((item) => item.toLowerCase()).sort());
    expect(Number(headers['access-control-max-age'])).toBe(gateway.maxAge);
    expect(gateway.allowCredentials).toBeFalsy();
  });
});
