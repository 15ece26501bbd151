/**
 * Whether the line just above an error is that error's request (issue 12 §2). A bare body names no API,
 * and the URL of a neighbouring line is only taken when it is evidence of the same request: a `curl`
 * command, an HTTP client's error line for the URL (4xx/5xx), a pasted line that names the URL with the
 * body under it — or, in a log, a request line of the same thread / trace id. Never a 2xx/3xx response,
 * never another thread's line, never an API of the other family (a legacy `errcode` body belongs to an
 * oapi URL, a new-API `code` body to api.dingtalk.com).
 */
import type { ApiRef, ApiVia, ErrorRecord } from '../types.js';
import { requestFrom } from './fields.js';

/** A response that went well: `… /v1.0/users 200`, `HTTP/1.1 200 OK`, `status=204`, `"statusCode":200`. */
// (The URL's rest stops at the next `dingtalk.`: a line of repeated URLs is not rescanned from each, linear.)
const OK_RESPONSE = /(?:dingtalk\.(?:com|io)\/(?:(?!dingtalk\.)[^\s"'<>])*|HTTP\/[\d.]+)\s+[23]\d\d\b|\b[23]\d\d OK\b|status(?:_?code|Code)?["']?\s*[:=]\s*["']?[23]\d\d\b/i;
/** The first line of a log record: a timestamp or a level up front. */
const LOG_RECORD = /^\s*\[?(?:\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}|\d{4}\/\d{2}\/\d{2} \d{2}:|\d{2}:\d{2}:\d{2}|[A-Z][a-z]{2} +\d{1,2} \d{2}:\d{2}|\d+月 ?\d+ \d{2}:|(?:TRACE|DEBUG|INFO|WARN(?:ING)?|ERROR|FATAL)\b)/;
/** Thread names (`[http-nio-8080-exec-3]`, `[pool-1-thread-2]`, `[main]`) and trace ids (`traceId=…`, `"trace_id":"…"`). */
const THREAD_KEYS = [
  /\[((?:[\w.-]*-)?(?:exec|thread|worker|pool|task|main|scheduling|reactor|nioEventLoop)[\w.-]*)\]/i,
  /(?<![\w])["']?(?:trace_?id|traceId|X-B3-TraceId|tid|thread|thread_name|req_?id|reqId)["']?\s*[:=]\s*["']?([\w.-]{3,})/i,
];

function threadOf(line: string): string | null {
  for (const re of THREAD_KEYS) {
    const m = re.exec(line);
    if (m) return m[1]!;
  }
  return null;
}

/** A legacy numbered `errcode` body is an oapi (or TOP) API's; a named new-API code an api.dingtalk.com one's. */
function sameFamily(api: ApiRef, code: string | null): boolean {
  if (code === null) return true;
  const legacyApi = api.host ? api.host.startsWith('oapi.') : !/^\/v\d\.\d\//.test(api.path);
  return /^\d+$/.test(code) ? legacyApi : !legacyApi;
}

export interface ContextRequest {
  api: (ApiRef & { via: ApiVia }) | null;
  httpStatus: number | null;
}

/** What the line(s) above tell about the error's request, or null when they are not its request. */
export function requestAbove(context: string, errorLine: string, record: Pick<ErrorRecord, 'code'>): ContextRequest | null {
  const above = requestFrom(context);
  const via = viaOf(context, errorLine, above.httpStatus);
  if (!via) return null;
  if (above.api && !sameFamily(above.api, record.code)) return null;
  return { api: above.api ? { ...above.api, via } : null, httpStatus: above.httpStatus };
}

function viaOf(context: string, errorLine: string, status: number | null): ApiVia | null {
  if (/(?:^|\s|\$ ?)curl\s/.test(context)) return 'exchange';
  if (status !== null && status >= 400) return 'exchange';
  if (OK_RESPONSE.test(context)) return null;
  const last = context.slice(context.lastIndexOf('\n') + 1);
  const mine = threadOf(errorLine);
  const theirs = threadOf(last);
  if (mine !== null || theirs !== null) return mine === theirs ? 'thread' : null;
  // Two log records with nothing tying them together are two events, not one request.
  if (LOG_RECORD.test(last) && LOG_RECORD.test(errorLine)) return null;
  return 'exchange';
}
