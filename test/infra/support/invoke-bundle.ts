import { spawnTracked } from '../../support/child-processes.js';

export interface BundleInvocation<T = unknown> {
  result: T;
  /** Wall time of the child process: Node start, bundle import (cold start) and the invocation. */
  ms: number;
  /** Time to import the bundle, measured inside the child. */
  importMs: number;
  logs: string;
}

const RESULT_MARKER = '__REDLINE_RESULT__';

/**
 * Imports a built bundle in a fresh Node process (as the Lambda runtime would: ESM, source maps on, only the
 * given environment) and calls its handler once with the event and a Lambda-like context.
 */
export async function invokeBundle<T = unknown>(
  bundleFile: string,
  event: unknown,
  environment: Record<string, string>,
  functionName = 'bundle',
): Promise<BundleInvocation<T>> {
  const script = `
    const started = performance.now();
    const { handler } = await import(${JSON.stringify(bundleFile)});
    const importMs = performance.now() - started;
    const context = {
      callbackWaitsForEmptyEventLoop: false, functionName: ${JSON.stringify(functionName)}, functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:${functionName}', memoryLimitInMB: '512',
      awsRequestId: crypto.randomUUID(), logGroupName: '/aws/lambda/${functionName}', logStreamName: 'local',
      getRemainingTimeInMillis: () => 60000, done() {}, fail() {}, succeed() {},
    };
    const event = JSON.parse(process.env.REDLINE_TEST_EVENT);
    const result = await handler(event, context);
    process.stdout.write('\\n${RESULT_MARKER}' + JSON.stringify({ result: result ?? null, importMs }) + '\\n');
    process.exit(0);
  `;
  const started = Date.now();
  return new Promise((resolve, reject) => {
    // In a process group of its own: the test file's afterEach kills it if the test fails or times out.
    const child = spawnTracked(process.execPath, ['--enable-source-maps', '--input-type=module', '-e', script], {
      env: { PATH: process.env.PATH ?? '', ...environment, REDLINE_TEST_EVENT: JSON.stringify(event) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    // Only stops a hung bundle: sized for a loaded machine, it never decides an outcome.
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((candidate) => candidate.startsWith(RESULT_MARKER));
      if (code !== 0 || !line) {
        reject(new Error(`${functionName} bundle exited with ${code}:\n${stderr.slice(-4000)}\n${stdout.slice(-4000)}`));
        return;
      }
      const { result, importMs } = JSON.parse(line.slice(RESULT_MARKER.length)) as { result: T; importMs: number };
      resolve({ result, importMs, ms: Date.now() - started, logs: stdout + stderr });
    });
  });
}
