/**
 * Wraps a port (any object with methods) so that every method call goes through `interceptor`: the local runtime's
 * activity taps, the benchmark's per-step timings and the tests' crash injection all use it, around the same
 * adapters the use cases receive. Properties that are not functions (a notifier's `name`) pass through.
 */
export interface PortCall {
  port: string;
  method: string;
  args: unknown[];
  /** Calls the wrapped method with `args` (pass other arguments to `proceed` to replace them). */
  proceed(...args: unknown[]): unknown;
}

export type PortInterceptor = (call: PortCall) => unknown;

export function interceptPort<T extends object>(target: T, port: string, interceptor: PortInterceptor): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      const value: unknown = Reflect.get(object, property, receiver);
      if (typeof value !== 'function' || property === 'constructor') return value;
      const method = String(property);
      return (...args: unknown[]) =>
        interceptor({
          port,
          method,
          args,
          proceed: (...replaced: unknown[]) => (value as (...parameters: unknown[]) => unknown).apply(object, replaced.length > 0 ? replaced : args),
        });
    },
  });
}

/** Durations of the calls of one port method, in ms, recorded when the call settles (sync calls too). */
export class CallTimings {
  readonly samples = new Map<string, number[]>();

  record(key: string, ms: number): void {
    const list = this.samples.get(key);
    if (list) list.push(ms);
    else this.samples.set(key, [ms]);
  }

  total(key: string): number {
    return (this.samples.get(key) ?? []).reduce((sum, ms) => sum + ms, 0);
  }

  count(key: string): number {
    return this.samples.get(key)?.length ?? 0;
  }

  clear(): void {
    this.samples.clear();
  }

  /** An interceptor that records `<port>.<method>` durations. */
  interceptor(): PortInterceptor {
    return (call) => {
      const started = performance.now();
      const key = `${call.port}.${call.method}`;
      const result = call.proceed();
      if (result instanceof Promise) {
        return result.finally(() => this.record(key, performance.now() - started));
      }
      this.record(key, performance.now() - started);
      return result;
    };
  }
}
