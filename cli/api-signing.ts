import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { RedlineError } from '../shared/errors.js';
import { UsageError } from './cli-io.js';

/**
 * SigV4 for a deployed stack's HTTP API. Its credentialed routes (watches, subscriptions) use IAM authorization, so
 * the CLI signs its requests to an execute-api host (or, with --sigv4, to a custom domain in front of one) with the
 * standard credential chain: environment, --profile (shared config and credentials files, SSO, credential_process),
 * web identity, container and instance roles. Service `execute-api`; the region comes from the host name, else
 * --region, else AWS_REGION.
 */
export interface ApiSigning {
  region: string;
  profile?: string;
}

export interface SigningOptions {
  region?: string;
  profile?: string;
  /** Sign even though the host is not an execute-api host (a custom domain name in front of the API). */
  sigv4?: boolean;
}

const EXECUTE_API_HOST = /^([a-z0-9]+)\.execute-api\.([a-z]{2}(?:-[a-z]+)+-\d)\.amazonaws\.com(?:\.cn)?$/;

/** The API id and region of an execute-api host name, or undefined for any other host. */
export function executeApiHost(url: string): { apiId: string; region: string } | undefined {
  const match = EXECUTE_API_HOST.exec(new URL(url).hostname);
  return match ? { apiId: match[1]!, region: match[2]! } : undefined;
}

/** Whether (and how) requests to this API are signed; a bad combination is a UsageError (exit 2). */
export function resolveSigning(url: string, options: SigningOptions, env: NodeJS.ProcessEnv): ApiSigning | undefined {
  const host = executeApiHost(url);
  if (!host && !options.sigv4) {
    if (options.profile !== undefined || options.region !== undefined) {
      throw new UsageError('--profile and --region sign requests to a deployed API: give an execute-api URL, or add --sigv4 for a custom domain');
    }
    return undefined;
  }
  if (host && options.region !== undefined && options.region !== host.region) {
    throw new UsageError(`--region ${options.region} does not match the API's region ${host.region} (from ${new URL(url).hostname})`);
  }
  const region = host?.region ?? options.region ?? (env.AWS_REGION || env.AWS_DEFAULT_REGION);
  if (!region) throw new UsageError('--sigv4 needs a region: give --region or set AWS_REGION');
  return { region, ...(options.profile !== undefined ? { profile: options.profile } : {}) };
}

/** No credentials anywhere in the chain: exit 2, naming where it looked and what the caller needs. */
export class MissingCredentialsError extends UsageError {}

// The SDK's credential chain and signer load only when a command signs (most commands never do).
async function credentialProvider(signing: ApiSigning, env: NodeJS.ProcessEnv): Promise<AwsCredentialIdentityProvider> {
  const files = {
    ...(env.AWS_SHARED_CREDENTIALS_FILE ? { filepath: env.AWS_SHARED_CREDENTIALS_FILE } : {}),
    ...(env.AWS_CONFIG_FILE ? { configFilepath: env.AWS_CONFIG_FILE } : {}),
  };
  const { fromIni, fromNodeProviderChain } = await import('@aws-sdk/credential-providers');
  if (signing.profile !== undefined) return fromIni({ profile: signing.profile, ...files });
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    const identity: AwsCredentialIdentity = {
      accessKeyId: env.AWS_ACCESS_KEY_ID,
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
      ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
    };
    return async () => identity;
  }
  return fromNodeProviderChain({ ...(env.AWS_PROFILE ? { profile: env.AWS_PROFILE } : {}), ...files });
}

export interface RequestSigner {
  /** The headers to send: the given ones plus host, x-amz-date, x-amz-security-token and authorization. */
  sign(request: { method: string; url: URL; headers: Record<string, string>; body?: string }, signingDate?: Date): Promise<Record<string, string>>;
}

export function requestSigner(signing: ApiSigning, env: NodeJS.ProcessEnv): RequestSigner {
  let credentials: Promise<AwsCredentialIdentity> | undefined;
  const resolve = () =>
    (credentials ??= credentialProvider(signing, env)
      .then((provider) => provider())
      .catch((error: unknown) => {
        const where =
          signing.profile !== undefined ? `profile ${signing.profile}` : 'the environment, AWS_PROFILE, SSO, web identity or an instance role';
        throw new MissingCredentialsError(
          `No AWS credentials found (looked in ${where}): ${(error as Error).message}. Signing the API's requests needs credentials of a ` +
            'principal allowed execute-api:Invoke on the API (docs/deploy.md, "Pointing the CLI at the stack")',
          { cause: error },
        );
      }));
  return {
    async sign(request, signingDate) {
      const [{ Hash }, { HttpRequest }, { SignatureV4 }] = await Promise.all([
        import('@smithy/hash-node'),
        import('@smithy/protocol-http'),
        import('@smithy/signature-v4'),
      ]);
      const credentials = await resolve();
      const signer = new SignatureV4({ service: 'execute-api', region: signing.region, credentials, sha256: Hash.bind(null, 'sha256') });
      const query: Record<string, string> = {};
      for (const [name, value] of request.url.searchParams) query[name] = value;
      const signed = await signer.sign(
        new HttpRequest({
          method: request.method,
          protocol: request.url.protocol,
          hostname: request.url.hostname,
          ...(request.url.port ? { port: Number(request.url.port) } : {}),
          path: request.url.pathname,
          query,
          headers: { ...request.headers, host: request.url.host },
          ...(request.body !== undefined ? { body: request.body } : {}),
        }),
        signingDate ? { signingDate } : {},
      );
      return signed.headers as Record<string, string>;
    },
  };
}

/**
 * The CLI's error for a 403 from a signed request: API Gateway's own message (a signature it refused, or an IAM
 * denial) and the permission the route needs.
 */
export function forbiddenMessage(method: string, url: URL, gatewayMessage: string | undefined): string {
  const host = executeApiHost(url.toString());
  const resource = `arn:aws:execute-api:${host?.region ?? '<region>'}:<account>:${host?.apiId ?? '<api-id>'}/$default/${method}${url.pathname}`;
  const reason = gatewayMessage ?? 'Forbidden';
  const hint = /signature|expired|date/i.test(reason)
    ? ' Check the secret key of the credentials and the clock of this machine (a signature is valid for 5 minutes).'
    : '';
  return `${reason}.${hint} The caller needs execute-api:Invoke on ${resource}`;
}

/** A 403 from the API: exit 1 with the message above. */
export class ForbiddenApiError extends RedlineError {
  override readonly status = 403;
  override readonly expose = true;
}
