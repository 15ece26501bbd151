/**
 * Where requests go. Tokens are only ever sent to DingTalk's own hosts or to the base
 * URLs the user gave explicitly (--base-url / DINGTALK_API_BASE, --oapi-base-url /
 * DINGTALK_OAPI_BASE). Everything here is pure.
 */
import { uiError } from '../render/messages.js';

export const API_BASE = 'https://api.dingtalk.com';
export const OAPI_BASE = 'https://oapi.dingtalk.com';
// The .io hosts are DingTalk's international site (same paths, help.dingtalk.io).
const DINGTALK_HOSTS: Record<string, 'api' | 'oapi'> = {
  'api.dingtalk.com': 'api',
  'oapi.dingtalk.com': 'oapi',
  'api.dingtalk.io': 'api',
  'oapi.dingtalk.io': 'oapi',
};

export interface Bases {
  /** New APIs (/v1.0, /v2.0) and the token endpoints. */
  api: URL;
  /** Legacy oapi. */
  oapi: URL;
}

function parseBase(value: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw uiError('err.base.not-url', { what, value }, 'err.base.not-url-hint');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw uiError('err.base.protocol', { what, protocol: url.protocol });
  if (url.username || url.password) throw uiError('err.base.credentials', { what });
  url.search = '';
  url.hash = '';
  return url;
}

/** With only --base-url set, legacy calls go to the same base (so a test server or gateway gets both). */
export function resolveBases(flags: { baseUrl?: string; oapiBaseUrl?: string }, env: Record<string, string | undefined>): Bases {
  const apiValue = flags.baseUrl ?? env.DINGTALK_API_BASE;
  const oapiValue = flags.oapiBaseUrl ?? env.DINGTALK_OAPI_BASE ?? apiValue;
  return {
    api: parseBase(apiValue ?? API_BASE, flags.baseUrl ? '--base-url' : 'DINGTALK_API_BASE'),
    oapi: parseBase(oapiValue ?? OAPI_BASE, flags.oapiBaseUrl ? '--oapi-base-url' : 'DINGTALK_OAPI_BASE'),
  };
}

/** New-API paths start with a version segment; everything else is legacy oapi. */
export const isNewApiPath = (path: string) => /^\/v\d+\.\d+\//.test(path);

/** The full URL of a path on a base (keeps a path prefix of the base). */
export function urlOn(base: URL, pathWithQuery: string): URL {
  const prefix = base.pathname.replace(/\/+$/, '');
  return new URL(`${base.origin}${prefix}${pathWithQuery.startsWith('/') ? '' : '/'}${pathWithQuery}`);
}

/**
 * Maps a URL from user input (replay) onto the bases: a DingTalk host is re-targeted to
 * its base, a URL already on a base stays. Anything else is null: no token goes there.
 */
export function retarget(url: URL, bases: Bases): { url: URL; legacy: boolean } | null {
  const kind = DINGTALK_HOSTS[url.hostname.toLowerCase()];
  const pathWithQuery = `${url.pathname}${url.search}`;
  if (kind === 'api') return { url: urlOn(bases.api, pathWithQuery), legacy: false };
  if (kind === 'oapi') return { url: urlOn(bases.oapi, pathWithQuery), legacy: true };
  for (const base of [bases.api, bases.oapi]) {
    const prefix = base.pathname.replace(/\/+$/, '');
    if (url.origin === base.origin && url.pathname.startsWith(prefix)) {
      const rest = url.pathname.slice(prefix.length);
      return { url, legacy: !isNewApiPath(rest) };
    }
  }
  return null;
}

/** True when the URL is on DingTalk's hosts or on one of the explicit bases (the only places a token may go). */
export function mayCarryToken(url: URL, bases: Bases): boolean {
  if (DINGTALK_HOSTS[url.hostname.toLowerCase()] && url.protocol === 'https:') return true;
  return [bases.api, bases.oapi].some((b) => b.origin === url.origin);
}
