// Bundles alias `node:http` to this file (ESBUILD_ALIAS in infra/constructs/tracker-function.ts): a static ESM import
// of a Node built-in reads every export, and node:http's lazy WebSocket/MessageEvent getters then load Node's
// internal undici (fetch, WebSocket; tens of ms of cold start). Loaded with require, the getters stay untouched.
// `http`, not `node:http`, so the alias does not point back at this file.
// eslint-disable-next-line no-undef, @typescript-eslint/no-require-imports
module.exports = require('http');
