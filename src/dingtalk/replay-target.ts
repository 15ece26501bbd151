/** The request a replay input describes (curl, HAR, METHOD URL), before its old credentials are stripped. */
import type { ErrorParam } from '../errors.js';
import { uiError } from '../render/messages.js';

/** An old credential the input carried outside the URL and headers (curl -u, --oauth2-bearer, -b, --proxy-user). */
export interface Credential {
  where: string;
  value: string;
}

export interface ReplayTarget {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
  /** Where it came from, for messages: "curl command", "trace.har entry 3", "arguments". */
  from: string;
  /** Never sent; named when removed, and their values kept out of any output. */
  credentials?: Credential[];
}

/** The URL of the input; the error never repeats it (it may carry a token). */
export function parseUrl(text: string, from: ErrorParam): URL {
  try {
    return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
  } catch {
    throw uiError('err.replay.bad-url', { from });
  }
}
