import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { requestSigner, resolveSigning } from '../../cli/api-signing.js';
import { createApiHandler } from '../../functions/api/api-handler.js';
import { toApiGatewayEvent, writeResult } from '../../local/runtime/api-server.js';
import { LocalSubscriptionGateway } from '../../local/runtime/subscription-notifier.js';
import { DynamoRevisionStore } from '../../shared/adapters/dynamodb/dynamo-revision-store.js';
import { DynamoSubscriptionStore } from '../../shared/adapters/dynamodb/dynamo-subscription-store.js';
import { S3SnapshotStore } from '../../shared/adapters/s3/s3-snapshot-store.js';
import { localLambdaContext } from '../../shared/runtime/lambda-handler.js';
import { DEFAULT_TRACKER_SETTINGS } from '../../shared/use-cases/tracker-dependencies.js';
import { quietObservability } from '../api/api-fixture.js';
import { startLocalAws, type LocalAws } from '../support/local-aws.js';
import { cli } from './cli-fixture.js';

/**
 * SigV4 in the CLI (issue 17 §1), against a local stand-in for API Gateway's IAM authorization: a server that
 * verifies each request's signature with the same library (@smithy/signature-v4: it signs the request it received
 * with the known secret at the request's own date and compares), refuses dates more than 5 minutes off, and only
 * then hands the request to the real api handler with `requestContext.authorizer.iam` set, as the gateway does.
 */
const ACCESS_KEY = 'AKIAREDLINETEST00001';
const SECRET = 'redline-test-secret-access-key-0000000000';
const DENIED_KEY = 'AKIAREDLINEDENIED0001';
const REGION = 'eu-west-1';
const PAGE_URL = 'https://www.state.gov/reports/2024-country-reports-on-human-rights-practices/kazakhstan/';

let aws: LocalAws;
let server: Server;
let apiUrl: string;
let configDir: string;
const verdicts: string[] = [];

function gatewayAnswer(message: string) {
  return { statusCode: 403, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message }) };
}

async function verify(request: IncomingMessage, body: Buffer): Promise<string | undefined> {
  const authorization = request.headers.authorization ?? '';
  const match =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/execute-api\/aws4_request, SignedHeaders=([^,]+), Signature=[0-9a-f]{64}$/.exec(
      authorization,
    );
  if (!match) return 'Missing Authentication Token';
  const [, accessKey, , region, signedHeaders] = match;
  const amzDate = String(request.headers['x-amz-date'] ?? '');
  const date = new Date(amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
  if (Number.isNaN(date.getTime())) return 'Missing Authentication Token';
  if (Math.abs(Date.now() - date.getTime()) > 5 * 60_000) return 'Signature expired: the request date is more than 5 minutes from the server time';
  if (accessKey !== ACCESS_KEY && accessKey !== DENIED_KEY) return 'The security token included in the request is invalid.';
  const url = new URL(request.url ?? '/', apiUrl);
  const headers: Record<string, string> = {};
  // The payload hash is computed from the body received, never taken from the client's x-amz-content-sha256.
  for (const name of signedHeaders!.split(';')) if (name !== 'x-amz-content-sha256') headers[name] = String(request.headers[name] ?? '');
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = value;
  const signer = new SignatureV4({
    service: 'execute-api',
    region: region!,
    credentials: { accessKeyId: accessKey!, secretAccessKey: SECRET },
    sha256: Hash.bind(null, 'sha256'),
  });
  const expected = await signer.sign(
    new HttpRequest({
      method: request.method!,
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      query,
      headers,
      ...(body.length > 0 ? { body: body.toString('utf8') } : {}),
    }),
    { signingDate: date },
  );
  if (expected.headers.authorization !== authorization) {
    return 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.';
  }
  if (accessKey === DENIED_KEY) {
    return `User: arn:aws:iam::123456789012:user/intern is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:${REGION}:123456789012:abc/$default/${request.method}${url.pathname}`;
  }
  return undefined;
}

beforeAll(async () => {
  aws = await startLocalAws();
  configDir = await mkdtemp(join(tmpdir(), 'redline-sigv4-'));
  await writeFile(join(configDir, 'config'), '');
  await writeFile(join(configDir, 'credentials'), `[newsroom]\naws_access_key_id = ${ACCESS_KEY}\naws_secret_access_key = ${SECRET}\n`);
  const handler = createApiHandler(
    {
      revisions: new DynamoRevisionStore({ client: aws.dynamodb, tableName: aws.tableName }),
      snapshots: new S3SnapshotStore({ client: aws.s3, bucket: aws.bucketName }),
      subscriptions: new DynamoSubscriptionStore({ client: aws.dynamodb, tableName: aws.tableName }),
      subscriptionGateway: new LocalSubscriptionGateway(),
      now: () => new Date(),
      settings: DEFAULT_TRACKER_SETTINGS,
      api: {},
    },
    quietObservability(),
  );
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks);
        const refusal = await verify(request, body);
        verdicts.push(refusal ?? 'verified');
        if (refusal) return writeResult(response, gatewayAnswer(refusal));
        const event = toApiGatewayEvent(request, body, new URL(apiUrl).host) as APIGatewayProxyEventV2 & { requestContext: { authorizer?: unknown } };
        event.requestContext.authorizer = {
          iam: { accessKey: ACCESS_KEY, accountId: '123456789012', userArn: 'arn:aws:iam::123456789012:user/desk' },
        };
        writeResult(response, await handler(event, localLambdaContext('api')));
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await aws?.close();
  if (configDir) await rm(configDir, { recursive: true, force: true });
});

const keys = (secret = SECRET, accessKey = ACCESS_KEY) => ({ AWS_ACCESS_KEY_ID: accessKey, AWS_SECRET_ACCESS_KEY: secret });
const files = () => ({ AWS_CONFIG_FILE: join(configDir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(configDir, 'credentials') });

describe('a signed CLI', () => {
  it('signs a write with credentials from the environment, and the verifying server passes it', async () => {
    verdicts.length = 0;
    const result = await cli(['watch', 'add', PAGE_URL, '--api', apiUrl, '--sigv4', '--region', REGION, '--json'], { env: keys() });
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(JSON.parse(result.stdout)).toMatchObject({ page: { page: 'hrr.kazakhstan.2024' }, created: true });
    expect(verdicts).toEqual(['verified']);
  });

  it('signs with the credentials of --profile, reads included', async () => {
    verdicts.length = 0;
    const result = await cli(['subscribe', 'list', '--api', apiUrl, '--sigv4', '--region', REGION, '--profile', 'newsroom', '--json'], {
      env: files(),
    });
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(verdicts).toEqual(['verified']);
  });

  it('a wrong secret fails: a clear error naming the permission and the clock, exit 2', async () => {
    verdicts.length = 0;
    const result = await cli(['watch', 'add', PAGE_URL, '--api', apiUrl, '--sigv4', '--region', REGION], { env: keys('not-the-secret') });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/signature we calculated does not match/);
    expect(result.stderr).toMatch(/Check the secret key of the credentials and the clock/);
    expect(result.stderr).toMatch(/needs execute-api:Invoke on arn:aws:execute-api:<region>:<account>:<api-id>\/\$default\/POST\/watches/);
    expect(verdicts).toEqual([expect.stringMatching(/does not match/)]);
  });

  it('a principal without execute-api:Invoke gets the gateway’s denial and the permission it lacks', async () => {
    const result = await cli(['watch', 'add', PAGE_URL, '--api', apiUrl, '--sigv4', '--region', REGION], { env: keys(SECRET, DENIED_KEY) });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/is not authorized to perform: execute-api:Invoke/);
    expect(result.stderr).toMatch(/The caller needs execute-api:Invoke on /);
  });

  it('a stale date or a changed body fails verification', async () => {
    const signer = requestSigner({ region: REGION }, keys());
    const url = new URL(`${apiUrl}/watches`);
    const body = JSON.stringify({ url: PAGE_URL });
    const base = { 'content-type': 'application/json', accept: 'application/json' };
    const send = async (headers: Record<string, string>, sent: string) => {
      const response = await fetch(url, { method: 'POST', headers, body: sent });
      return [response.status, ((await response.json()) as { message?: string }).message];
    };
    // The same request signed now passes.
    expect((await send(await signer.sign({ method: 'POST', url, headers: base, body }), body))[0]).toBe(200);
    const stale = await signer.sign({ method: 'POST', url, headers: base, body }, new Date(Date.now() - 10 * 60_000));
    expect(await send(stale, body)).toEqual([403, expect.stringMatching(/^Signature expired/)]);
    const signed = await signer.sign({ method: 'POST', url, headers: base, body });
    expect(await send(signed, body.replace('kazakhstan', 'nigeria'))).toEqual([403, expect.stringMatching(/does not match/)]);
  });

  it('no credentials: a clear error, exit 2, nothing sent', async () => {
    verdicts.length = 0;
    const result = await cli(['watch', 'add', PAGE_URL, '--api', apiUrl, '--sigv4', '--region', REGION, '--profile', 'nobody'], { env: files() });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/No AWS credentials found \(looked in profile nobody\)/);
    expect(result.stderr).toMatch(/execute-api:Invoke/);
    expect(verdicts).toEqual([]);
  });

  it('reads the region from an execute-api host, refuses a mismatched --region, and signs nothing else', () => {
    const api = 'https://a1b2c3d4e5.execute-api.ap-southeast-2.amazonaws.com';
    expect(resolveSigning(api, {}, {})).toEqual({ region: 'ap-southeast-2' });
    expect(resolveSigning(api, { profile: 'newsroom' }, {})).toEqual({ region: 'ap-southeast-2', profile: 'newsroom' });
    expect(() => resolveSigning(api, { region: 'us-east-1' }, {})).toThrow("--region us-east-1 does not match the API's region ap-southeast-2");
    expect(resolveSigning('http://127.0.0.1:8787', {}, {})).toBeUndefined();
    expect(() => resolveSigning('http://127.0.0.1:8787', { sigv4: true }, {})).toThrow(/needs a region/);
    expect(() => resolveSigning('http://127.0.0.1:8787', { profile: 'x' }, {})).toThrow(/give an execute-api URL, or add --sigv4/);
  });

  it('refuses --profile without --api, exit 2', async () => {
    const result = await cli(['watch', 'add', PAGE_URL, '--profile', 'newsroom'], { env: {} });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/give --api URL/);
  });
});
