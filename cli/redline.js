#!/usr/bin/env node
// Launcher for `npx redline`: runs the TypeScript CLI through tsx (a runtime dependency), so no build step is needed.
// Signals are passed on, so stopping the launcher (Ctrl-C, kill) stops `redline serve` and closes its servers.
// On a Node older than 22 (commander 15 and the AWS SDK's next releases need 22) it uses the project's pinned Node
// 22 (the `node` dev dependency) when it is installed.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const tsx = require.resolve('tsx/cli');
const child = spawn(nodeBinary(), [tsx, path.join(here, 'main.ts'), ...process.argv.slice(2)], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + 2 : 1)));
child.on('error', (error) => {
  process.stderr.write(`redline: cannot start: ${error.message}\n`);
  process.exit(1);
});

function nodeBinary() {
  if (Number(process.versions.node.split('.')[0]) >= 22) return process.execPath;
  try {
    const pinned = path.join(path.dirname(require.resolve('node/package.json')), 'bin', 'node');
    return existsSync(pinned) ? pinned : process.execPath;
  } catch {
    return process.execPath;
  }
}
