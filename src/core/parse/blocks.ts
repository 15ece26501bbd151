/**
 * Finding the block of lines one error occupies around a line that mentions it.
 * A block is a head line plus its continuation lines (indented, or a closing bracket at
 * column 0): that covers Node inspect output with its stack, pretty-printed JSON, Java
 * stack traces, Go's SDKError, Python tracebacks (extended back to `Traceback …`), and
 * HTTP dumps (status line and headers, a blank line, then the body).
 */

/** Lines that mention something a DingTalk error always carries; only blocks around them are parsed. */
// `ode` covers code, Code, errcode, sub_code, statusCode, `Code:` (Go) and the Tea message
// `code: 403, …` in one byte scan; the Chinese phrases catch a bare message. A log that names
// only the code or the scope list (`error: Forbidden.AccessDenied.IpNotInWhiteList …`,
// `requiredScopes: [Card.Instance.Write]`) has no `ode`: those two are triggers of their own
// (`Scopes`, not `requiredScopes`: a rarer first byte makes the byte scan several times faster).
export const TRIGGERS = ['ode', '应用尚未开通', '没有调用该接口的权限', '访问ip不在白名单', 'Forbidden.AccessDenied', 'Scopes'] as const;
/** Whether a line (or a JSON string) mentions a trigger: six searches of a plain string, no pattern to compile. */
export const hasTrigger = (text: string): boolean => TRIGGERS.some((t) => text.includes(t));

/** Longest block walked in either direction; a longer one is cut (fields are still extracted). */
export const MAX_BLOCK_LINES = 400;

const STATUS_LINE = /^(?:< )?HTTP\/\d(?:\.\d)? [1-5]\d\d\b/;
const REQUEST_LINE = /^(?:> )?(?:GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS) \S+ HTTP\/\d/;
const FENCE = /^\s*```/;
const HEADER_LINE = /^(?:[<>] ?)?[A-Za-z][\w-]*: |^[<>*](?: |$)|^[<>]\s*$/;

export function isContinuation(line: string): boolean {
  const c = line.charCodeAt(0);
  if (c === 32 || c === 9) return line.trim() !== '';
  // PHP's uncaught exception: `Stack trace:` then `#0 /app/x.php(55): AlibabaCloud\SDK\…->getUserWithOptions(…)`.
  if (c === 125 /* } */ || c === 93 /* ] */ || c === 41 /* ) */) return true;
  // the pattern only on a line that opens as one of its shapes can (C, ., S, #): most lines open otherwise
  return (c === 67 || c === 46 || c === 83 || c === 35) && /^(?:Caused by: |\.\.\. \d+ more|Stack trace:$|#\d+ )/.test(line);
}

/** A request or status line; the patterns only where the first character can open one (`<`/`H`, `>`/a method's letter). */
function isHttpHead(line: string): boolean {
  const c = line.charCodeAt(0);
  if ((c === 60 /* < */ || c === 72 /* H */) && STATUS_LINE.test(line)) return true;
  return (c === 62 /* > */ || c === 71 /* G */ || c === 80 /* P */ || c === 68 /* D */ || c === 72 /* H */ || c === 79 /* O */) && REQUEST_LINE.test(line);
}

export interface BlockRange {
  start: number;
  /** Inclusive. */
  end: number;
  /** The block may go on past the last line given (streaming: wait for more input). */
  open: boolean;
}

/** Start of the HTTP message (request/status line) whose headers end just above `bodyStart`. */
function httpHeadAbove(lines: string[], bodyStart: number): number | null {
  // Between head and body: a blank line (curl -i), a bare `<` (curl -v), or, pasted into an issue,
  // Markdown fences around each part (```` ``` ````, blank, ```` ```json ````).
  let j = bodyStart - 1;
  let gap = 0;
  while (j >= 0 && gap < 4 && (lines[j]!.trim() === '' || /^[<>]\s*$/.test(lines[j]!) || FENCE.test(lines[j]!))) {
    j--;
    gap++;
  }
  if (gap === 0 || j < 0) return null;
  let first: number | null = null;
  const stop = Math.max(0, bodyStart - 80);
  while (j >= stop) {
    const l = lines[j]!;
    if (isHttpHead(l)) first = j;
    else if (!HEADER_LINE.test(l)) break;
    j--;
  }
  return first;
}

/** The block around line `i` (0-based). `eof` false means more lines may follow `lines`. */
export function blockAround(lines: string[], i: number, eof = true): BlockRange {
  let start = i;
  const backStop = Math.max(0, i - MAX_BLOCK_LINES);
  while (start > backStop && isContinuation(lines[start]!)) start--;
  // Python: the exception line closes a traceback; take the traceback for the SDK frames.
  if (start > 0 && /^[\w.]*(?:Exception|Error)\b/.test(lines[start]!) && isContinuation(lines[start - 1]!)) {
    let t = start - 1;
    while (t > backStop && isContinuation(lines[t]!)) t--;
    if (/^Traceback \(most recent call last\)/.test(lines[t]!)) start = t;
  }
  // curl -i / HTTP dump: status line and headers, a blank line, then the body.
  const head = httpHeadAbove(lines, start);
  if (head !== null) start = head;

  let end = Math.max(start, i);
  const fwdStop = Math.min(lines.length - 1, Math.max(i, start) + MAX_BLOCK_LINES);
  const walk = () => {
    while (end < fwdStop && isContinuation(lines[end + 1]!)) end++;
  };
  if (isHttpHead(lines[start]!)) {
    // Over request/status lines and headers to the blank line, then the body block.
    end = start;
    while (end < fwdStop && (HEADER_LINE.test(lines[end + 1]!) || isHttpHead(lines[end + 1]!))) end++;
    // The head ends with a blank line (curl -i) or a bare `<` (curl -v); the body follows.
    let b = end + 1;
    while (b <= fwdStop && (lines[b]!.trim() === '' || FENCE.test(lines[b]!))) b++;
    if ((b > end + 1 || /^[<>]\s*$/.test(lines[end]!)) && b <= fwdStop && !isHttpHead(lines[b]!) && !/^[*<>] /.test(lines[b]!)) {
      end = b;
      walk();
    }
    if (end < i) end = i;
  }
  walk();
  // Go: `panic(err)` prints the SDKError, a blank line or two, then the goroutine's frames (the SDK call);
  // a logged one (`log.Printf("%v\n%s", err, debug.Stack())`, `2026/… sync: SDKError:`) may have none between.
  let waitForGo = false;
  const first = lines[start]!;
  const panicked = first.startsWith('SDKError:') || first.startsWith('panic: SDKError:');
  if (panicked || (first.includes('SDKError:') && /(?:^|\s)SDKError:\s*$/.test(first))) {
    let g = end + 1;
    while (g <= fwdStop && g <= end + 2 && lines[g]!.trim() === '') g++;
    if ((g > end + 1 || !panicked) && g <= fwdStop && /^goroutine \d+ \[/.test(lines[g]!)) {
      end = g;
      while (end < fwdStop && lines[end + 1]!.trim() !== '') end++;
    } else waitForGo = g > lines.length - 1; // only blank lines so far: the frames may be in the next chunk
  }
  const open = !eof && (end >= lines.length - 1 || waitForGo);
  return { start, end, open };
}

/**
 * The line just above a block that may name its request: a `curl …` command (joined over its `\`
 * continuations) or a log line with the URL (`HTTPError: Response code 403 … POST https://…`), then the
 * body on the next line. Blank lines and Markdown fences in between are skipped (an issue paste:
 * "https://api.dingtalk.com/v1.0/… responds", then the fenced response). Null when there is none.
 */
export function contextAbove(lines: string[], start: number): string | null {
  let j = start - 1;
  let gap = 0;
  while (j >= 0 && gap < 3 && (lines[j]!.trim() === '' || FENCE.test(lines[j]!))) {
    j--;
    gap++;
  }
  if (j < 0 || gap >= 3) return null;
  let k = j;
  while (k > 0 && k > j - 20 && /\\\s*$/.test(lines[k - 1]!)) k--;
  const text = lines.slice(k, j + 1).join('\n');
  return /dingtalk\.(?:com|io)\b/i.test(text) ? text : null;
}
