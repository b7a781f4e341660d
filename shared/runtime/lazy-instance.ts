/**
 * An adapter made on first use: the composition roots wrap in this the adapters a function does not need on every
 * invocation (the api function's S3 snapshot store and subscription store, notify's snapshot store), so that their SDK
 * client is not constructed at cold start (a few ms of CPU each; see the `bundles` row of docs/benchmarks.md).
 *
 * The returned object stands for the instance `create` makes: the first read of any property makes it (once), and
 * methods are bound to it, so `this` inside them is the real adapter. It is not `instanceof` the adapter's class;
 * the handlers see only the ports. A `create` that throws is called again on the next read.
 */
export function lazyInstance<T extends object>(create: () => T): T {
  let instance: T | undefined;
  const real = () => (instance ??= create());
  return new Proxy({} as T, {
    get(_, property) {
      const target = real();
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...parameters: unknown[]) => unknown).bind(target) : value;
    },
    has: (_, property) => Reflect.has(real(), property),
    set: (_, property, value) => Reflect.set(real(), property, value),
    ownKeys: () => Reflect.ownKeys(real()),
    getOwnPropertyDescriptor(_, property) {
      const descriptor = Reflect.getOwnPropertyDescriptor(real(), property);
      // A proxy may only report an own property of its (empty) target as non-configurable.
      return descriptor === undefined ? undefined : { ...descriptor, configurable: true };
    },
    getPrototypeOf: () => Reflect.getPrototypeOf(real()),
  });
}
