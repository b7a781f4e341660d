/**
 * The three pieces of undici the fetcher uses, imported from their own modules: the package index loads all of
 * undici (fetch, WebSocket, caches, mocks, ~720 KB minified), which was most of the capture function's bundle and
 * about 100 ms of its cold start. Typed with undici's own declarations.
 */
import type { Agent as UndiciAgent, buildConnector as undiciBuildConnector, Dispatcher } from 'undici';
import agentModule from 'undici/lib/dispatcher/agent.js';
import requestModule from 'undici/lib/api/api-request.js';
import connectModule from 'undici/lib/core/connect.js';

export const Agent = agentModule as typeof UndiciAgent;
export const buildConnector = connectModule as typeof undiciBuildConnector;

type RequestOptions = Omit<Dispatcher.RequestOptions, 'origin' | 'path'>;
const dispatchRequest = requestModule as (this: Dispatcher, options: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>;

/** undici's `request(url, {dispatcher, ...})`, for an absolute URL. */
export function request(dispatcher: Dispatcher, url: URL, options: RequestOptions): Promise<Dispatcher.ResponseData> {
  return dispatchRequest.call(dispatcher, { ...options, origin: url.origin, path: `${url.pathname}${url.search}` });
}
