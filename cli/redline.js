#!/usr/bin/env node
// Launcher for `npx redline`: runs the prebuilt CLI bundle (dist/cli/, made by `npm run build:cli`, which the
// `prepare` script runs on `npm ci`) in THIS process, so a command starts like a compiled tool: no second Node, nothing
// transpiled at run time. The bundle targets the oldest Node the README supports (20).
// Fallbacks, each with a note on stderr: on a Node older than 20, the project's pinned Node 22 (the `node` dev
// dependency) runs the bundle; without a bundle (a checkout where `prepare` did not run), tsx runs the sources.
// Signals: in process, the CLI handles them itself (`redline serve` closes its servers); a child gets them passed on.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import module, { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const MINIMUM_NODE = 20;
const here = path.dirname(fileURLToPath(import.meta.url));
const bundle = path.join(here, '..', 'dist', 'cli', 'redline-entry.js');
const require = createRequire(import.meta.url);
const major = Number(process.versions.node.split('.')[0]);
const hasBundle = existsSync(bundle);

if (hasBundle && major >= MINIMUM_NODE) {
  // V8's code cache on disk (Node 22.1+; a no-op before): the second start of a command skips compiling the bundle.
  module.enableCompileCache?.();
  await import(pathToFileURL(bundle).href);
} else {
  if (!hasBundle) process.stderr.write('redline: no prebuilt bundle (dist/cli/): running the sources through tsx; `npm run build:cli` builds it\n');
  const script = hasBundle ? [bundle] : [require.resolve('tsx/cli'), path.join(here, 'redline-entry.ts')];
  const child = spawn(nodeBinary(), [...script, ...process.argv.slice(2)], { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => child.kill(signal));
  }
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + 2 : 1)));
  child.on('error', (error) => {
    process.stderr.write(`redline: cannot start: ${error.message}\n`);
    process.exit(1);
  });
}

function nodeBinary() {
  if (major >= 22) return process.execPath;
  try {
    const pinned = path.join(path.dirname(require.resolve('node/package.json')), 'bin', 'node');
    return existsSync(pinned) ? pinned : process.execPath;
  } catch {
    return process.execPath;
  }
}
