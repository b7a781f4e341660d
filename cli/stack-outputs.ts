import { UsageError } from './cli-io.js';

/** The stack outputs a cloud import reads, and the variables they stand for (infra/stacks/stateless-stack.ts). */
const IMPORT_OUTPUTS = Object.freeze({
  TableName: 'REDLINE_TABLE',
  BucketName: 'REDLINE_BUCKET',
  ImportQueueUrl: 'REDLINE_IMPORT_QUEUE_URL',
} as const);

export interface StackOptions {
  stack: string;
  region?: string;
  profile?: string;
}

/**
 * `--stack <name>`: the deployed stateless stack's outputs (DescribeStacks) turned into the REDLINE_* variables a
 * cloud import reads, with the region and, for --profile, that profile's credentials (the standard chain
 * otherwise). A stack that does not exist in the region, or that has no import queue yet, is a usage error.
 */
export async function stackEnvironment(options: StackOptions, env: NodeJS.ProcessEnv): Promise<NodeJS.ProcessEnv> {
  const region = options.region ?? (env.AWS_REGION || env.AWS_DEFAULT_REGION);
  if (!region) throw new UsageError(`--stack ${options.stack} needs a region: give --region or set AWS_REGION`);
  // Keys in the given environment come first, as in the SDK's own chain (which reads process.env, not `env`).
  const credentials =
    options.profile !== undefined
      ? await profileCredentials(options.profile, env)
      : env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
        ? {
            accessKeyId: env.AWS_ACCESS_KEY_ID,
            secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
            ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
          }
        : undefined;
  const { CloudFormationClient, DescribeStacksCommand } = await import('./sdk/cloudformation-client.js');
  const client = new CloudFormationClient({
    region,
    ...(credentials ? { credentials } : {}),
    ...(env.REDLINE_CLOUDFORMATION_ENDPOINT ? { endpoint: env.REDLINE_CLOUDFORMATION_ENDPOINT } : {}),
  });
  let outputs: Record<string, string>;
  try {
    const { Stacks = [] } = await client.send(new DescribeStacksCommand({ StackName: options.stack }));
    outputs = Object.fromEntries(
      (Stacks[0]?.Outputs ?? []).flatMap((output) => (output.OutputKey && output.OutputValue ? [[output.OutputKey, output.OutputValue]] : [])),
    );
  } catch (error) {
    const message = (error as Error).message ?? String(error);
    if (/does not exist/i.test(message)) {
      throw new UsageError(
        `No stack named ${options.stack} in ${region}: give the stateless stack's name (e.g. Redline-Prod-Stateless) and its region`,
        {
          cause: error,
        },
      );
    }
    throw new UsageError(
      `Cannot read the outputs of stack ${options.stack} in ${region}: ${message} (the importer needs cloudformation:DescribeStacks)`,
      {
        cause: error,
      },
    );
  } finally {
    client.destroy();
  }
  const missing = Object.keys(IMPORT_OUTPUTS).filter((key) => !outputs[key]);
  if (missing.length > 0) {
    throw new UsageError(
      `Stack ${options.stack} has no ${missing.join(', ')} output${missing.length > 1 ? 's' : ''}: ` +
        "is it redline's stateless stack, deployed with this version?",
    );
  }
  const fromStack = Object.fromEntries(Object.entries(IMPORT_OUTPUTS).map(([key, name]) => [name, outputs[key]!]));
  return {
    ...env,
    ...fromStack,
    AWS_REGION: region,
    ...(credentials
      ? {
          AWS_ACCESS_KEY_ID: credentials.accessKeyId,
          AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
          ...(credentials.sessionToken ? { AWS_SESSION_TOKEN: credentials.sessionToken } : {}),
        }
      : {}),
  };
}

async function profileCredentials(profile: string, env: NodeJS.ProcessEnv) {
  const { fromIni } = await import('@aws-sdk/credential-providers');
  try {
    return await fromIni({
      profile,
      ...(env.AWS_SHARED_CREDENTIALS_FILE ? { filepath: env.AWS_SHARED_CREDENTIALS_FILE } : {}),
      ...(env.AWS_CONFIG_FILE ? { configFilepath: env.AWS_CONFIG_FILE } : {}),
    })();
  } catch (error) {
    throw new UsageError(`No credentials for profile ${profile}: ${(error as Error).message}`, { cause: error });
  }
}
