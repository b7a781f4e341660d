import { readFileSync } from 'node:fs';
import { loadLocalModule, LOCAL_STORE_PACKAGES } from '../../cli/store-selection.js';
import { RedlineError } from '../../shared/errors.js';

/** Issue 12, item 8: the embedded local store is the product's main mode, so its servers are runtime dependencies. */

const missing = (name: string) =>
  Object.assign(new Error(`Cannot find package '${name}' imported from /opt/redline/local/runtime/local-aws-servers.js`), {
    code: 'ERR_MODULE_NOT_FOUND',
  });

describe('the local store packages', () => {
  it('are runtime dependencies, so `npm ci --omit=dev` keeps them', () => {
    const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    for (const name of LOCAL_STORE_PACKAGES) {
      expect(manifest.dependencies[name]).toBeDefined();
      expect(manifest.devDependencies[name]).toBeUndefined();
    }
  });

  it.each(LOCAL_STORE_PACKAGES)('a missing %s is explained with how to get it, not as "Cannot find package"', async (name) => {
    const error = await loadLocalModule(() => Promise.reject(missing(name))).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(RedlineError);
    expect((error as Error).message).toContain(`The local store needs the package ${name}, which is not installed`);
    expect((error as Error).message).toContain('npm install');
  });

  it('any other failure to load is not disguised', async () => {
    const other = missing('left-pad');
    await expect(loadLocalModule(() => Promise.reject(other))).rejects.toBe(other);
  });
});
