/**
 * The parts of undici this tool uses — Agent, EnvHttpProxyAgent and `request` — loaded from
 * undici's own modules instead of its index, which also loads fetch, WebSocket, caches, mocks and
 * more: about 60 ms of `check`'s start-up for nothing (measured: index 95 ms, these 34 ms).
 * Only imported dynamically, by http.ts. test/bundle.test.ts fails when an undici upgrade moves
 * these files or changes what its index does with them; bench/check.mjs measures the saving.
 */
import type { Dispatcher } from 'undici';
import AgentImpl from 'undici/lib/dispatcher/agent.js';
import DispatcherImpl from 'undici/lib/dispatcher/dispatcher.js';
import EnvHttpProxyAgentImpl from 'undici/lib/dispatcher/env-http-proxy-agent.js';
import api from 'undici/lib/api/index.js';

// What undici's index does: request/stream/connect… are Dispatcher methods (the proxy agent's
// CONNECT uses them too).
Object.assign(DispatcherImpl.prototype, api);

export const Agent = AgentImpl;
export const EnvHttpProxyAgent = EnvHttpProxyAgentImpl;

/** undici's top-level `request(url, options)` for one dispatcher. */
export function request(url: URL, options: Omit<Dispatcher.RequestOptions, 'origin' | 'path'> & { dispatcher: Dispatcher }): Promise<Dispatcher.ResponseData> {
  const { dispatcher, ...rest } = options;
  return dispatcher.request({ ...rest, origin: url.origin, path: `${url.pathname}${url.search}` });
}
