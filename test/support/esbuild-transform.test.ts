/**
 * The suite's transformer (test/support/esbuild-transform.js): esbuild, with the TypeScript semantics of
 * tsconfig.json (ES2022 class fields, parameter properties, type-only imports erased, ES modules kept).
 */
interface Transformer {
  process(source: string, filename: string, options: { supportsStaticESM?: boolean }): { code: string; map: string };
  processAsync(source: string, filename: string, options: { supportsStaticESM?: boolean }): Promise<{ code: string; map: string }>;
  getCacheKey(source: string, filename: string, options: { configString: string; supportsStaticESM?: boolean }): string;
}

// Plain JavaScript without declarations: loaded through string specifiers.
const transformerPath: string = './esbuild-transform.js';
const configPath: string = '../../jest.config.js';

let transformer: Transformer;
beforeAll(async () => {
  transformer = ((await import(transformerPath)) as { default: Transformer }).default;
});

const SOURCE = `
import type { Readable } from 'node:stream';
import { type Writable, PassThrough } from 'node:stream';
export class Counter {
  declare readonly hidden: Readable;
  step = 1;
  constructor(private readonly start: number, readonly label: string) {}
  next(by?: number): number { return this.start + (by ?? this.step); }
}
export const sink: Writable | undefined = undefined;
export const stream = PassThrough.name;
export const here = import.meta.url;
export const fields = Object.keys(new Counter(1, 'a'));
`;

async function run(code: string): Promise<Record<string, unknown>> {
  return (await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)) as Record<string, unknown>;
}

describe('the esbuild transformer', () => {
  it("is the suite's transform for TypeScript", async () => {
    const { default: config } = (await import(configPath)) as { default: { transform: Record<string, unknown> } };
    expect(config.transform).toEqual({ '^.+\\.ts$': '<rootDir>/test/support/esbuild-transform.js' });
  });

  it("erases types and keeps the module an ES module with TypeScript's semantics (sync and async alike)", async () => {
    const synchronous = transformer.process(SOURCE, '/repo/counter.ts', { supportsStaticESM: true });
    const asynchronous = await transformer.processAsync(SOURCE, '/repo/counter.ts', { supportsStaticESM: true });
    expect(asynchronous.code).toBe(synchronous.code);
    // The type-only import is gone; the value import stays, without its type-only name.
    expect(synchronous.code).not.toContain('Readable');
    expect(synchronous.code).not.toContain('Writable');
    expect(synchronous.code).toMatch(/import \{ PassThrough \} from "node:stream"/);
    const module = await run(synchronous.code);
    const Counter = module.Counter as new (start: number, label: string) => { next(by?: number): number; label: string };
    expect(new Counter(10, 'x').next()).toBe(11);
    expect(new Counter(10, 'x').next(5)).toBe(15);
    // Parameter properties assigned, class fields defined (ES2022), `declare` fields left out, as tsc emits them.
    expect(module.fields).toEqual(['start', 'label', 'step']);
    expect(module.stream).toBe('PassThrough');
    expect(module.here).toMatch(/^data:/);
    // A source map to the TypeScript file, for stack traces.
    expect(JSON.parse(synchronous.map)).toMatchObject({ version: 3, sources: ['/repo/counter.ts'] });
  });

  it('writes CommonJS when Jest asks for it', () => {
    const { code } = transformer.process('export const a: number = 1;', '/repo/a.ts', { supportsStaticESM: false });
    expect(code).toContain('module.exports');
  });

  it('keys its cache by the source, the file, the module format and the Jest configuration', () => {
    const key = (source: string, filename: string, configString: string, supportsStaticESM: boolean) =>
      transformer.getCacheKey(source, filename, { configString, supportsStaticESM });
    const base = key('a', '/f.ts', '{}', true);
    expect(key('a', '/f.ts', '{}', true)).toBe(base);
    const others = [key('b', '/f.ts', '{}', true), key('a', '/g.ts', '{}', true), key('a', '/f.ts', '{"x":1}', true), key('a', '/f.ts', '{}', false)];
    expect(new Set([base, ...others]).size).toBe(5);
  });
});
