import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startLocalAwsServers } from '../../../local/runtime/local-aws-servers.js';

/**
 * dynalite and s3rver in a child process, for the soak: measured in one process, the emulators' own growth
 * (dynalite keeps allocating per request) would be read as the API's. The child prints its endpoints as one JSON
 * line and stops when its stdin closes.
 */
export interface AwsServersProcess {
  endpoints: { dynamodb: string; s3: string };
  region: string;
  tableName: string;
  bucketName: string;
  pid: number;
  /** The child's resident set size, in MiB (Linux /proc; NaN elsewhere). */
  rssMiB(): number;
  close(): Promise<void>;
}

const CHILD_FLAG = 'REDLINE_AWS_SERVERS_CHILD';

export async function startAwsServersProcess(): Promise<AwsServersProcess> {
  const child = spawn(process.execPath, ['--openssl-legacy-provider', '--no-warnings', '--import', 'tsx', fileURLToPath(import.meta.url)], {
    env: { ...process.env, [CHILD_FLAG]: '1' },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = await new Promise<Omit<AwsServersProcess, 'pid' | 'rssMiB' | 'close'>>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error('the AWS servers process did not start within 60 s')), 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const line = output.split('\n').find((candidate) => candidate.startsWith('{'));
      if (!line) return;
      clearTimeout(timer);
      resolve(JSON.parse(line) as Omit<AwsServersProcess, 'pid' | 'rssMiB' | 'close'>);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the AWS servers process exited with ${code}`));
    });
  });
  const pid = child.pid!;
  return {
    ...ready,
    pid,
    rssMiB: () => {
      try {
        const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
        return match ? Number(match[1]) / 1024 : Number.NaN;
      } catch {
        return Number.NaN;
      }
    },
    close: async () => {
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

if (process.env[CHILD_FLAG] === '1' && process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dataDir = await mkdtemp(join(tmpdir(), 'redline-soak-aws-'));
  const servers = await startLocalAwsServers({ dataDir, dynamodbInMemory: true, resetS3OnClose: true });
  process.stdout.write(
    `${JSON.stringify({ endpoints: servers.endpoints, region: servers.region, tableName: servers.tableName, bucketName: servers.bucketName })}\n`,
  );
  process.stdin.resume();
  process.stdin.on('end', () => {
    void servers
      .close()
      .then(() => rm(dataDir, { recursive: true, force: true }))
      .finally(() => process.exit(0));
  });
}
