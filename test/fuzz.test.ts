/**
 * Property tests straight on the parser (parseText, parseStream, parseResponse) with
 * hostile input: random text, prefixes of the real examples/, deeply nested JSON, huge
 * single lines, binary, mixed encodings (GBK bytes, invalid UTF-8), random splices of real
 * error bodies. Every call must return (parseStream may only throw InputError) and give
 * well-formed records. parseStream must not depend on how the input is chunked. Then a CLI
 * sample: exit 0/1 with valid JSON, or exit 2 with one line on stderr.
 * No call is timed (a per-call wall-clock bound failed `npm test` on a loaded machine): work is
 * bounded by input size instead. The ReDoS shapes below are sized so that a linear parser reads
 * them at once and a quadratic regex needs hours, so a regression hangs the test (its timeout)
 * rather than moving a measured duration. Speed figures live in bench/.
 */
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseResponse, parseText } from '../src/core/parse/index.js';
import { InputError, parseStream } from '../src/core/parse/index.js';
import type { ErrorRecord } from '../src/core/types.js';
import { ROOT, runCli } from './helpers/run-cli.js';

const SCOPE = /^[A-Za-z][\w.\-]{1,99}$/;

const EXAMPLES = readdirSync(join(ROOT, 'examples'), { withFileTypes: true })
  .filter((e) => e.isFile())
  .map((e) => e.name)
  .sort()
  .map((name) => ({ name, text: readFileSync(join(ROOT, 'examples', name), 'utf8') }));
const BODIES = [
  '{"requestid":"A1","code":"Forbidden.AccessDenied.AccessTokenPermissionDenied","message":"应用尚未开通所需的权限：[Contact.User.Read]","accessdenieddetail":{"requiredScopes":["Contact.User.Read"]}}',
  '{"errcode":88,"sub_code":"60011","sub_msg":"应用尚未开通所需的权限：[qyapi_get_member]","errmsg":"ding talk error[subcode=60011,submsg=应用尚未开通所需的权限：[qyapi_get_member]，点击链接申请并开通即可：https://open-dev.dingtalk.com/appscope/apply?content=dingk%23qyapi_get_member, {requiredScopes=[qyapi_get_member]}]","request_id":"15r"}',
  '{"errcode":60020,"errmsg":"访问ip不在白名单之中，请参考FAQ：https://x,request ip=203.0.113.7 appKey(dingabc)"}',
  "{ code: 'Forbidden.AccessDenied.AccessTokenPermissionDenied', data: { requestid: 'R', accessdenieddetail: { requiredScopes: [ 'Calendar.Event.Write' ] }, statusCode: 403 } }",
  'SDKError:\n   StatusCode: 400\n   Code: InvalidAuthentication\n   Message: code: 400, 不合法的access_token request id: X1\n   Data: {"code":"InvalidAuthentication","statusCode":400}',
  ...EXAMPLES.map((e) => e.text),
];

const counts = { parseText: 0, parseStream: 0, parseResponse: 0, cli: 0 };

/** Counts the call (reported at the end); no timing. */
function timed<T>(what: keyof typeof counts, fn: () => T): T {
  counts[what]++;
  return fn();
}

/** Lines in the text as the parser counts them. */
const lineCount = (text: string) => text.split('\n').length;

function wellFormed(records: ErrorRecord[], text: string): void {
  expect(Array.isArray(records)).toBe(true);
  const lines = lineCount(text);
  for (const r of records) {
    expect(r.source.input).toBe('fuzz');
    expect(Number.isInteger(r.source.line)).toBe(true);
    expect(r.source.line).toBeGreaterThanOrEqual(1);
    expect(r.source.line).toBeLessThanOrEqual(lines);
    for (const s of r.requiredScopes) expect(s).toMatch(SCOPE);
    expect(new Set(r.requiredScopes).size).toBe(r.requiredScopes.length);
    if (r.httpStatus !== null) expect(Number.isInteger(r.httpStatus) && r.httpStatus >= 100 && r.httpStatus <= 599).toBe(true);
    for (const v of [r.code, r.subCode, r.message, r.requestId, r.callerIp, r.appKey]) expect(v === null || typeof v === 'string').toBe(true);
    if (r.api) expect(typeof r.api.path).toBe('string');
  }
}

async function* chunked(buf: Buffer, cuts: number[]): AsyncGenerator<Buffer> {
  let at = 0;
  for (const c of [...cuts].sort((a, b) => a - b)) {
    const to = Math.min(buf.length, Math.max(at, c));
    if (to > at) yield buf.subarray(at, to);
    at = to;
  }
  if (at < buf.length) yield buf.subarray(at);
}

/** parseStream over chunks → records, or the InputError message. Anything else thrown fails. */
async function stream(buf: Buffer, cuts: number[] = []): Promise<{ records: ErrorRecord[] } | { inputError: string }> {
  counts.parseStream++;
  const records: ErrorRecord[] = [];
  try {
    for await (const r of parseStream(chunked(buf, cuts), 'fuzz', {})) records.push(r);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return { inputError: error.message };
  }
  return { records };
}

const strip = (rs: ErrorRecord[]) => rs.map((r) => JSON.stringify(r));

// --- arbitraries
const anyText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 400 }),
  fc.string({ unit: 'binary', maxLength: 400 }),
  fc.string({ unit: fc.constantFrom('{', '}', '[', ']', '"', "'", ':', '=', ',', '\\', '\n', ' ', 'code', 'requiredScopes', '应用尚未开通所需的权限：', 'errcode', '88', '60011', 'Forbidden.', 'HTTP/1.1 403', 'request id: ', 'at ', '@alicloud/dingtalk/dist/x/client.js'), maxLength: 200 }),
);
const prefix = fc.record({ ex: fc.constantFrom(...EXAMPLES), cut: fc.nat() }).map(({ ex, cut }) => ex.text.slice(0, cut % (ex.text.length + 1)));
const splice = fc
  .array(fc.record({ body: fc.constantFrom(...BODIES), from: fc.nat(), to: fc.nat(), glue: fc.string({ unit: 'grapheme', maxLength: 20 }) }), { minLength: 1, maxLength: 6 })
  .map((parts) =>
    parts
      .map(({ body, from, to, glue }) => {
        const a = from % (body.length + 1);
        const b = to % (body.length + 1);
        return body.slice(Math.min(a, b), Math.max(a, b)) + glue;
      })
      .join(''),
  );
const nested = fc
  .record({ depth: fc.integer({ min: 1, max: 300 }), open: fc.constantFrom('[', '{"code":', '{"data":', '{"a":[', '{"requiredScopes":['), body: fc.constantFrom(...BODIES.slice(0, 4), '"Contact.User.Read"', '1') })
  .map(({ depth, open, body }) => {
    const close = open.startsWith('{"a":[') ? ']}' : open.startsWith('{"requiredScopes":[') ? ']}' : open.startsWith('{') ? '}' : ']';
    return open.repeat(depth) + body + close.repeat(depth);
  });
// GBK-encoded "应用尚未开通所需的权限" and other non-UTF-8 bytes spliced into UTF-8 bodies.
const GBK = Buffer.from([0xd3, 0xa6, 0xd3, 0xc3, 0xc9, 0xd0, 0xce, 0xb4, 0xbf, 0xaa, 0xcd, 0xa8, 0xcb, 0xf9, 0xd0, 0xe8, 0xb5, 0xc4, 0xc8, 0xa8, 0xcf, 0xde]);
const mixedBytes = fc
  .array(fc.oneof(fc.constantFrom(...BODIES.map((b) => Buffer.from(b))), fc.constant(GBK), fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a)), fc.constantFrom(Buffer.from([0xc3]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('\n'))), { minLength: 1, maxLength: 8 })
  .map((parts) => Buffer.concat(parts));
// A HAR whose fields have any JSON type (issue 13: HAR type confusion): `method`, `url`, `status`,
// headers and bodies as numbers, objects, arrays, null — the offline HAR reader must not throw.
const anyJson = fc.json({ maxDepth: 3 }).map((text): unknown => JSON.parse(text));
const fieldOf = (good: fc.Arbitrary<unknown>) => fc.oneof(good, anyJson);
const harConfused = fc
  .array(fc.record({
    request: fc.oneof(fc.record({
      method: fieldOf(fc.constantFrom('GET', 'POST')),
      url: fieldOf(fc.constantFrom('https://api.dingtalk.com/v1.0/contact/users/me', 'https://oapi.dingtalk.com/topapi/v2/user/get')),
      headers: fieldOf(fc.constant([{ name: 'x-acs-dingtalk-access-token', value: 'tok' }])),
    }), anyJson),
    response: fc.oneof(fc.record({
      status: fieldOf(fc.constantFrom(403, 200)),
      content: fieldOf(fc.record({ mimeType: fieldOf(fc.constant('application/json')), text: fieldOf(fc.constantFrom(...BODIES.slice(0, 3))) })),
    }), anyJson),
  }), { maxLength: 4 })
  .chain((entries) => fc.oneof(fc.constant({ log: { entries } }), anyJson.map((v) => ({ log: { entries: v } })), anyJson.map((v) => ({ log: v }))))
  .map((doc) => JSON.stringify(doc));
const cutsFor = (maxLen: number) => fc.array(fc.nat({ max: Math.max(1, maxLen) }), { maxLength: 12 });

const dir = mkdtempSync(join(tmpdir(), 'dd-fuzz-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  console.log(`fuzz: ${counts.parseText} parseText + ${counts.parseStream} parseStream + ${counts.parseResponse} parseResponse calls, ${counts.cli} CLI runs`);
});

describe('parseText / parseResponse never throw, give well-formed records', () => {
  for (const [name, arb, runs] of [
    ['random text', anyText, 2000],
    ['prefixes of real examples', prefix, 1000],
    ['splices of real error bodies', splice, 1000],
    ['deeply nested JSON', nested, 150],
    ['HAR documents with fields of any type', harConfused, 1000],
  ] as const) {
    it(name, () => {
      fc.assert(
        fc.property(arb, fc.integer({ min: 0, max: 599 }), (text, status) => {
          wellFormed(timed('parseText', () => parseText(text, 'fuzz')), text);
          const answer = timed('parseResponse', () => parseResponse({ status, body: text, input: 'fuzz' }));
          expect(Array.isArray(answer)).toBe(true);
          for (const r of answer) for (const s of r.requiredScopes) expect(s).toMatch(SCOPE);
          if (status >= 400) expect(answer.length).toBe(1);
        }),
        { numRuns: runs },
      );
    }, 120_000);
  }

  // The JSON walker (errorObjects) stops at a bounded depth: hostile nesting must not overflow the stack.
  it('JSON nested 20,000 deep does not throw', () => {
    for (const open of ['[', '{"data":', '{"a":[']) {
      const close = open === '[' ? ']' : open === '{"data":' ? '}' : ']}';
      const text = open.repeat(20_000) + BODIES[0] + close.repeat(20_000);
      wellFormed(timed('parseText', () => parseText(text, 'fuzz')), text);
    }
  });

  // The `requiredScopes` and `scopeInMessage` lists are bounded in fields.ts: a line repeating an
  // unclosed `[` used to cost O(n²) (200 KB took 1.5 s; a 6 MB line over 5 minutes).
  it('a 400 KB line of unclosed requiredScopes lists', () => {
    for (const u of ['{"requiredScopes":[', '应用尚未开通所需的权限：[']) {
      const text = u.repeat(Math.ceil(400_000 / Buffer.byteLength(u)));
      timed('parseText', () => parseText(text, 'fuzz'));
      timed('parseResponse', () => parseResponse({ status: 403, body: text, input: 'fuzz' }));
    }
  }, 60_000);

  it('huge single lines (5 MB) of adversarial repeats', () => {
    const unit = ['{"requiredScopes":[', '应用尚未开通所需的权限：[', 'a', '"code":"', 'code: ', '\\"', ' request id: ', 'Forbidden.', 'code=', "'", '{"code":', 'requiredScopes'];
    for (const u of unit) {
      const line = u.repeat(Math.ceil((5 * 1024 * 1024) / Buffer.byteLength(u)));
      for (const text of [line, `${line}${BODIES[0]}`, `${BODIES[0]}${line}`]) {
        wellFormed(timed('parseText', () => parseText(text, 'fuzz')), text);
        timed('parseResponse', () => parseResponse({ status: 403, body: text, input: 'fuzz' }));
      }
    }
  }, 240_000);
});

// Shapes that were super-linear: a quoted value of backslashes (`{"code": "` + 40 KB of `\` took 17 s,
// 80 KB 69 s: the old QUOTED lookahead and each key's leading `\\*` rescanned the run from every
// position) and a line of repeated `dingtalk.com/` (clientStatus rescanned the URL from each).
// At 1 MB each, the old regexes need hours; the linear ones read them like any other line.
const REDOS: Array<[string, string, string]> = [
  ['{"code": "', '\\', ''],
  ["{'code': '", '\\', ''],
  ['{"message": "', '\\', ''],
  ['{"request_id": "', '\\', ''],
  ['{"errcode": ', '\\', ''],
  ['requiredScopes: ', '\\', ''],
  ['', '\\', ' code'],
  ['{"code": "', '\\"', ''],
  ['', 'dingtalk.com/', ' 403'],
  ['{"code":"Forbidden.AccessDenied.AccessTokenPermissionDenied","url":"https://api.', 'dingtalk.com/', ''],
];

describe('ReDoS shapes: linear in the input size', () => {
  for (const [head, unit, tail] of REDOS) {
    it(`${JSON.stringify(head)} + 1 MB of ${JSON.stringify(unit)}${tail ? ` + ${JSON.stringify(tail)}` : ''}`, async () => {
      const text = head + unit.repeat(Math.ceil((1 << 20) / unit.length)) + tail;
      wellFormed(timed('parseText', () => parseText(text, 'fuzz')), text);
      timed('parseResponse', () => parseResponse({ status: 403, body: text, input: 'fuzz' }));
      // A real body after the hostile line is still found, through the stream too.
      const withBody = `${text}\n${BODIES[0]}\n`;
      const out = await stream(Buffer.from(withBody), [1 << 19]);
      expect('records' in out && out.records.some((r) => r.requiredScopes.includes('Contact.User.Read'))).toBe(true);
    }, 60_000);
  }
});

describe('parseStream: only InputError, chunking does not change the result', () => {
  it('a first chunk of white space (or of a BOM) alone decides nothing: the next byte does (found by the property below: " {" cut after one byte)', async () => {
    for (const text of [' {', '  [', ' {"a"', '\n {"errcode": 60011, "errmsg": "不合法的access_token"}', '\ufeff {"errcode":60011}', '   \n2024 ERROR {"errcode":60011}'])
      for (const cuts of [[1], [1, 2], [2], [3], [4]]) expect(await stream(Buffer.from(text), cuts), JSON.stringify([text, cuts])).toEqual(await stream(Buffer.from(text)));
  });

  it('text inputs: same records however they are chunked', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(anyText, prefix, splice), cutsFor(600), async (text, cuts) => {
        const buf = Buffer.from(text, 'utf8');
        const whole = await stream(buf);
        const pieces = await stream(buf, cuts);
        // Binary sniffing looks at the first chunk only (a NUL byte further on is not seen when the
        // first chunk is tiny); everything else must not depend on the chunking.
        if ('inputError' in whole && /binary/.test(whole.inputError) && 'records' in pieces) expect(buf.includes(0)).toBe(true);
        else expect(pieces).toEqual(whole);
        if ('records' in whole) wellFormed(whole.records, text);
        if ('records' in pieces && 'records' in whole) expect(strip(pieces.records)).toEqual(strip(whole.records));
      }),
      { numRuns: 800 },
    );
  }, 180_000);

  it('binary and mixed-encoding bytes: records or an InputError, never a crash', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(mixedBytes, fc.uint8Array({ maxLength: 2000 }).map((a) => Buffer.from(a))), cutsFor(2000), async (buf, cuts) => {
        const out = await stream(buf, cuts);
        if ('records' in out) wellFormed(out.records, buf.toString('utf8'));
        else expect(out.inputError).toMatch(/^fuzz: /);
        // The same bytes decoded lossily are still fine for parseText.
        wellFormed(timed('parseText', () => parseText(buf.toString('utf8'), 'fuzz')), buf.toString('utf8'));
        wellFormed(timed('parseText', () => parseText(buf.toString('latin1'), 'fuzz')), buf.toString('latin1'));
      }),
      { numRuns: 800 },
    );
  }, 180_000);

  it('a 5 MB single line and a deep JSON document through the stream', async () => {
    const big = Buffer.from(`${'x'.repeat(5 * 1024 * 1024)} ${BODIES[0]}\n`);
    const out = await stream(big, [1 << 20, 3 << 20]);
    expect('records' in out ? out.records.map((r) => r.requiredScopes) : out).toEqual([['Contact.User.Read']]);
    const deep = Buffer.from(`${'['.repeat(300)}${BODIES[0]}${']'.repeat(300)}`);
    const d = await stream(deep);
    if ('records' in d) wellFormed(d.records, deep.toString());
  }, 60_000);
});

describe('CLI sample: exit 0/1 with valid JSON, or exit 2 with one line and no stack', () => {
  it('a few dozen hostile files through `diagnose --json`', async () => {
    const inputs = [
      ...fc.sample(fc.oneof(anyText, prefix, splice), { numRuns: 20, seed: 7 }).map((t) => Buffer.from(t)),
      ...fc.sample(mixedBytes, { numRuns: 8, seed: 11 }),
      ...fc.sample(nested, { numRuns: 4, seed: 13 }).map((t) => Buffer.from(t)),
      Buffer.alloc(0),
      Buffer.from([0, 1, 2, 3, 255]),
      Buffer.from(`${'{"code":"'.repeat(200_000)}\n`),
    ];
    const bad: string[] = [];
    for (let i = 0; i < inputs.length; i += 2) {
      await Promise.all(
        inputs.slice(i, i + 2).map(async (buf, k) => {
          const file = join(dir, `in-${i + k}.txt`);
          writeFileSync(file, buf);
          const r = await runCli(['diagnose', '--json', file], { timeoutMs: 30_000 });
          counts.cli++;
          const where = `input ${i + k} (${buf.length} bytes)`;
          if (r.code === 0 || r.code === 1) {
            try {
              const doc = JSON.parse(r.stdout) as { schemaVersion?: number; command?: string };
              if (doc.schemaVersion !== 1 || doc.command !== 'diagnose') bad.push(`${where}: JSON without schemaVersion/command`);
            } catch {
              bad.push(`${where}: exit ${r.code} but stdout is not JSON: ${r.stdout.slice(0, 100)}`);
            }
          } else if (r.code === 2) {
            const lines = r.stderr.trim().split('\n');
            if (lines.length !== 1 || /\bat .+:\d+:\d+/.test(r.stderr) || r.stdout !== '') bad.push(`${where}: exit 2 with ${lines.length} stderr lines: ${r.stderr.slice(0, 200)}`);
          } else bad.push(`${where}: exit ${r.code}: ${r.stderr.slice(0, 200)}`);
        }),
      );
    }
    expect(bad).toEqual([]);
  }, 240_000);
});
