/**
 * Jest's transformer for the TypeScript sources: esbuild's `transformSync` (esbuild is already a devDependency, for
 * the CLI and function bundles), one file at a time, types stripped and nothing checked (types are `npm run
 * typecheck`). It replaced ts-jest, whose TypeScript compiler each worker loaded before its first file and which
 * spent most of the suite's cold-cache transform time; the output is the same modules with the same semantics
 * (tsconfig.json: ES2022 class fields, `verbatimModuleSyntax`, so type-only imports are the ones written as such).
 * Plain JavaScript (not TypeScript) so that Jest can load it without a transform of its own.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { URL } from 'node:url';
import { transform as transformAsync, transformSync, version } from 'esbuild';

const TSCONFIG_RAW = { compilerOptions: { verbatimModuleSyntax: true, useDefineForClassFields: true } };
const OWN_SOURCE = readFileSync(new URL(import.meta.url), 'utf8');

/** @param {string} filename @param {{ supportsStaticESM?: boolean }} options @returns {import('esbuild').TransformOptions} */
function esbuildOptions(filename, options) {
  return {
    loader: 'ts',
    format: options.supportsStaticESM ? 'esm' : 'cjs',
    target: 'es2022',
    platform: 'node',
    sourcefile: filename,
    sourcemap: 'external',
    sourcesContent: false,
    tsconfigRaw: TSCONFIG_RAW,
  };
}

export default {
  canInstrument: false,
  /** @param {string} source @param {string} filename @param {{ supportsStaticESM?: boolean }} options */
  process(source, filename, options) {
    const { code, map } = transformSync(source, esbuildOptions(filename, options));
    return { code, map };
  },
  /** @param {string} source @param {string} filename @param {{ supportsStaticESM?: boolean }} options */
  async processAsync(source, filename, options) {
    const { code, map } = await transformAsync(source, esbuildOptions(filename, options));
    return { code, map };
  },
  /** @param {string} source @param {string} filename @param {{ configString: string, supportsStaticESM?: boolean }} options */
  getCacheKey(source, filename, options) {
    return createHash('sha256')
      .update(OWN_SOURCE)
      .update(version)
      .update('\0')
      .update(options.supportsStaticESM ? 'esm' : 'cjs')
      .update('\0')
      .update(filename)
      .update('\0')
      .update(options.configString)
      .update('\0')
      .update(source)
      .digest('hex');
  },
};
