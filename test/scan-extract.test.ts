/** Extractors (pure) and the resolver against the real bundled catalog. */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { getCatalog } from '../src/catalog/index.js';
import { bareLiteralMatches, commentRanges, dotCalls, extractFile, methodOnLine, normalizePath, sdkMethodName, type PathHit, type SdkHit } from '../src/scan/extract.js';
import { ScanAccumulator, specificPath } from '../src/scan/resolve.js';

const paths = (file: string, text: string) =>
  extractFile(file, text).hits.filter((h): h is PathHit => h.kind === 'path').map((h) => `${h.line} ${h.method ?? '*'} ${h.host ?? '-'} ${h.path}${h.comment ? ' #' : ''}`);
const sdk = (file: string, text: string) =>
  extractFile(file, text).hits.filter((h): h is SdkHit => h.kind === 'sdk').map((h) => `${h.line} ${h.modules.join(',')}.${h.method}`);

function scan(files: Record<string, string>) {
  const acc = new ScanAccumulator(getCatalog());
  for (const [file, text] of Object.entries(files)) acc.add(file, extractFile(file, text));
  const report = acc.finish();
  return {
    apis: report.apis.map((a) => `${a.method} ${a.path} [${a.scopes.map((s) => s.code).join(',')}] ${a.locations.map((l) => `${l.file}:${l.line}${l.comment ? '#' : ''}${l.ambiguous ? '?' : ''}`).join(' ')}`),
    unknown: report.unknownApis.map((u) => `${u.method ?? '*'} ${u.host}${u.path} ${u.locations.map((l) => `${l.file}:${l.line}`).join(' ')}`),
    scopes: report.scopes.map((s) => s.code),
  };
}

describe('normalizePath', () => {
  it.each([
    ['/v1.0/contact/users/${unionId}', '/v1.0/contact/users/{}'],
    ['/v1.0/contact/users/{union_id}?lang=zh', '/v1.0/contact/users/{}'],
    ['/v1.0/contact/users/%s', '/v1.0/contact/users/{}'],
    ['/v1.0/contact/users/{}', '/v1.0/contact/users/{}'],
    ['/v1.0/contact/users/#{id}', '/v1.0/contact/users/{}'],
    ['/v1.0/contact/users/:unionId', '/v1.0/contact/users/{}'],
    ['/v1.0/contact/users/$unionId', '/v1.0/contact/users/{}'],
    ['/topapi/v2/user/get?access_token=%s', '/topapi/v2/user/get'],
    ['/v1.0/calendar/users/${u}/calendars/${c}/events.', '/v1.0/calendar/users/{}/calendars/{}/events'],
  ])('%s → %s', (raw, want) => expect(normalizePath(raw)).toBe(want));
});

describe('methodOnLine', () => {
  it.each([
    ['axios.get(url)', 'GET'],
    ["requests.post(url, json={})", 'POST'],
    ["fetch(url, { method: 'PUT' })", 'PUT'],
    ["fetch(url, { method: 'delete' })", 'DELETE'],
    ['req, _ := http.NewRequest(http.MethodGet, url, nil)', 'GET'],
    ['new HttpPost(url)', 'POST'],
    ['client.getUser(id)', null],
    ['GET or POST', null],
    ['we get the user', null],
  ])('%s → %s', (line, want) => expect(methodOnLine(line)).toBe(want));
});

describe('commentRanges', () => {
  it('knows strings, line and block comments (C-like)', () => {
    const text = `const u = 'https://x/y'; // tail\n/* a\n b */ x`;
    const r = commentRanges(text, 'c');
    expect(r.map(([s, e]) => text.slice(s, e))).toEqual(['// tail', '/* a\n b */']);
  });
  it('knows # comments but not inside strings (Python)', () => {
    const text = `u = "a#b"  # note\n"""doc # not a comment"""\n`;
    expect(commentRanges(text, 'hash').map(([s, e]) => text.slice(s, e))).toEqual(['# note']);
  });
});

type CommentStyle = Parameters<typeof commentRanges>[1];

/** The lexer as it was before it searched for openers: walks every character (the reference). */
function walkedCommentRanges(text: string, style: CommentStyle): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  if (style === 'none') return ranges;
  const cLike = style === 'c' || style === 'php';
  const hash = style === 'hash' || style === 'php';
  const n = text.length;
  let i = 0;
  while (i < n) {
    const ch = text.charCodeAt(i);
    // strings
    if (ch === 34 /* " */ || ch === 39 /* ' */ || ch === 96 /* ` */) {
      const triple = style === 'hash' && text.startsWith(String.fromCharCode(ch).repeat(3), i);
      if (triple) {
        const end = text.indexOf(String.fromCharCode(ch).repeat(3), i + 3);
        i = end < 0 ? n : end + 3;
        continue;
      }
      let j = i + 1;
      while (j < n) {
        const c = text.charCodeAt(j);
        if (c === 92 /* \ */) { j += 2; continue; }
        if (c === ch) break;
        // Only backtick strings (JS templates, Go raw strings) span lines.
        if (c === 10 && ch !== 96) break;
        j++;
      }
      i = j + 1;
      continue;
    }
    if (cLike && ch === 47 /* / */) {
      const next = text.charCodeAt(i + 1);
      if (next === 47) {
        const end = text.indexOf('\n', i);
        const stop = end < 0 ? n : end;
        ranges.push([i, stop]);
        i = stop;
        continue;
      }
      if (next === 42 /* * */) {
        const end = text.indexOf('*/', i + 2);
        const stop = end < 0 ? n : end + 2;
        ranges.push([i, stop]);
        i = stop;
        continue;
      }
    }
    if (hash && ch === 35 /* # */ && !(style === 'php' && text.charCodeAt(i + 1) === 91)) {
      // Ruby-style `#{...}` only occurs inside strings, which are skipped above.
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? n : end;
      ranges.push([i, stop]);
      i = stop;
      continue;
    }
    i++;
  }
  return ranges;
}

/** A deterministic text of `length` or a little more, made of `pieces` (a linear congruential generator from `seed`). */
function soup(pieces: readonly string[], seed: number, length: number): string {
  let state = seed;
  let text = '';
  while (text.length < length) {
    state = (state * 1103515245 + 12345) >>> 0;
    text += pieces[(state >>> 16) % pieces.length]; // the high bits: the low ones of this generator cycle
  }
  return text;
}

/** Texts made of the lexer's own characters (quotes, slashes, stars, hashes, backslashes, newlines). */
const lexerSoup = (seed: number, length: number) => soup(['"', "'", '`', '/', '*', '#', '\\', '\n', '[', 'a', ' ', '//', '/*', '*/', "'''", '"""', 'x = 1', 'https://h/p'], seed, length);

describe('commentRanges against the character-walking lexer', () => {
  it.each(['c', 'hash', 'php', 'none'] as const)('gives the same ranges on 2,000 random texts (%s)', (style) => {
    for (let seed = 1; seed <= 2000; seed++) {
      const text = lexerSoup(seed, 1 + (seed % 97));
      expect(commentRanges(text, style), `seed ${seed}: ${JSON.stringify(text)}`).toEqual(walkedCommentRanges(text, style));
    }
  });
  it('gives the same ranges on this project\'s own sources', () => {
    const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'scan');
    for (const name of readdirSync(dir)) {
      const text = readFileSync(join(dir, name), 'utf8');
      expect(commentRanges(text, 'c')).toEqual(walkedCommentRanges(text, 'c'));
      expect(commentRanges(text, 'hash')).toEqual(walkedCommentRanges(text, 'hash'));
    }
  });
});

/** What dotCalls replaced (extract.ts): one regular expression that tried every word as a receiver. */
function regexCalls(text: string) {
  return Array.from(text.matchAll(/([\w$]+)\s*\??\.\s*([A-Za-z_]\w*)\s*\(/g), (m) => ({ index: m.index, receiver: m[1]!, name: m[2]! }));
}

/** Texts made of the pieces of a call: words, dots, `?.`, spaces of every kind, parentheses. */
const callSoup = (seed: number, length: number) => soup(['.', '?.', '?', ' ', '\t', '\n', '\u00a0', '\u3000', '\ufeff', '(', ')', 'a', 'B', '_', '$', '1', 'é', 'client', 'get', 'x.y(', '..', ' . '], seed, length);

describe('dotCalls against the regular expression it replaced', () => {
  it('finds the same calls on 5,000 random texts', () => {
    for (let seed = 1; seed <= 5000; seed++) {
      const text = callSoup(seed, 1 + (seed % 61));
      expect(dotCalls(text), `seed ${seed}: ${JSON.stringify(text)}`).toEqual(regexCalls(text));
    }
  });
  it("finds the same calls in this project's sources and in the DingTalk SDK's own client", () => {
    const root = join(dirname(fileURLToPath(import.meta.url)), '..');
    const files = ['src/scan/extract.ts', 'src/scan/walk.ts', 'src/scan/resolve.ts', 'node_modules/@alicloud/dingtalk/dist/contact_1_0/client.js'];
    for (const file of files) {
      const text = readFileSync(join(root, file), 'utf8');
      const calls = dotCalls(text);
      expect(calls.length, file).toBeGreaterThan(10);
      expect(calls, file).toEqual(regexCalls(text));
    }
  });
});

/** What bareLiteralMatches replaced (extract.ts): a global regular expression tried at every character. */
const GLOBAL_BARE_LITERAL = /(['"`])(\/[a-z][\w]*(?:\/[\w]+)+)(?:\?[^'"`\n]*)?\1/g;
const plain = (ms: Iterable<RegExpMatchArray>) => Array.from(ms, (m) => [m.index, ...m]);

const pathSoup = (seed: number, length: number) => soup(['http', 's', '://', 'api.dingtalk.com', ':8080', '/v1.0/', '/v2.0/', '/topapi/', '/v1.0', 'v2.0/', '/', 'chat', 'get', '/chat/get', "'", '"', '`', '${id}', '{', '}', '#', '.', '-', '_', ' ', '\n', '?x=1', '(', ')', '+', 'a'], seed, length);

describe('bare path literals found from their first characters, against the global pattern it replaced', () => {
  it('finds the same matches on 5,000 random texts', () => {
    for (let seed = 1; seed <= 5000; seed++) {
      const text = pathSoup(seed, 1 + (seed % 89));
      expect(plain(bareLiteralMatches(text)), `seed ${seed}: ${JSON.stringify(text)}`).toEqual(plain(text.matchAll(GLOBAL_BARE_LITERAL)));
    }
  });
  it("finds the same matches in this project's scan tests", () => {
    const root = join(dirname(fileURLToPath(import.meta.url)), '..');
    for (const file of ['test/scan-extract.test.ts', 'test/scan-cli.test.ts']) {
      const text = readFileSync(join(root, file), 'utf8');
      const literals = plain(bareLiteralMatches(text));
      expect(literals.length, file).toBeGreaterThan(0);
      expect(literals, file).toEqual(plain(text.matchAll(GLOBAL_BARE_LITERAL)));
    }
  });
});

describe('sdkMethodName', () => {
  it('maps Go and C# spellings to the JS one; Python stays as written (the catalog knows its spellings)', () => {
    expect(sdkMethodName('get_user_with_options', 'python')).toBe('get_user_with_options');
    expect(sdkMethodName('batch_send_otowith_options', 'python')).toBe('batch_send_otowith_options');
    expect(sdkMethodName('GetUserWithOptions', 'go')).toBe('getUserWithOptions');
    expect(sdkMethodName('GetUserAsync', 'csharp')).toBe('getUser');
  });
});

describe('extractFile', () => {
  it('finds URLs, template strings, concatenation and format strings with their lines', () => {
    const text = [
      "const a = `https://api.dingtalk.com/v1.0/contact/users/${id}`;",
      "const b = '/v1.0/contact/users/' + id;",
      'String p = "/v1.0/calendar/users/" + u + "/calendars/" + c + "/events";',
      'url = "https://oapi.dingtalk.com/topapi/v2/user/get?access_token=%s" % t',
      '// see https://api.dingtalk.com/v1.0/contact/users/{unionId}',
      'u := `/v1.0/contact/users/` + id',
    ].join('\n');
    expect(paths('a.ts', text)).toEqual([
      '1 * api.dingtalk.com /v1.0/contact/users/{}',
      '2 * - /v1.0/contact/users/{}',
      '3 * - /v1.0/calendar/users/{}/calendars/{}/events',
      '4 * oapi.dingtalk.com /topapi/v2/user/get',
      '5 * api.dingtalk.com /v1.0/contact/users/{} #',
      '6 * - /v1.0/contact/users/{}',
    ]);
  });

  it('takes an explicit method: from the request options nearby when the line has none', () => {
    const text = [
      'const a = await fetch(`https://api.dingtalk.com/v1.0/calendar/users/${u}/calendars/${c}/events`, {',
      "  method: 'POST',",
      '});',
      '',
      '',
      '',
      'const b = await fetch(`https://api.dingtalk.com/v1.0/calendar/users/${u}/calendars/${c}/events`);',
    ].join('\n');
    expect(paths('a.ts', text)).toEqual([
      '1 POST api.dingtalk.com /v1.0/calendar/users/{}/calendars/{}/events',
      // fetch's default method is GET.
      '7 GET api.dingtalk.com /v1.0/calendar/users/{}/calendars/{}/events',
    ]);
  });

  it("fetch() without a method in its visible options is a GET; options it can't see leave the method open", () => {
    const text = [
      'const BASE = "https://api.dingtalk.com";',
      'await fetch(`${BASE}/v1.0/calendar/users/${u}/calendars/${c}/events?maxResults=10`, {',
      "  headers: { 'x-acs-dingtalk-access-token': token },",
      '  signal,',
      '});',
      'await fetch(`${BASE}/v1.0/calendar/users/${u}/calendars/${c}/events`, opts);',
      'await fetch(`${BASE}/v1.0/calendar/users/${u}/calendars/${c}/events`, { ...opts, headers });',
      'await fetch(`${BASE}/v1.0/calendar/users/${u}/calendars/${c}/events`, { method: verb });',
      "await fetch('https://api.dingtalk.com/v1.0/contact/users/me')",
    ].join('\n');
    expect(paths('a.ts', text)).toEqual([
      '2 GET - /v1.0/calendar/users/{}/calendars/{}/events',
      '6 * - /v1.0/calendar/users/{}/calendars/{}/events',
      '7 * - /v1.0/calendar/users/{}/calendars/{}/events',
      '8 * - /v1.0/calendar/users/{}/calendars/{}/events',
      '9 GET api.dingtalk.com /v1.0/contact/users/me',
    ]);
  });

  it('counts SDK calls only when the file imports the SDK module', () => {
    const without = 'client.getUserWithOptions(id, headers, runtime);';
    expect(sdk('a.ts', without)).toEqual([]);
    const withImport = `import Client from '@alicloud/dingtalk/contact_1_0';\n${without}`;
    expect(sdk('a.ts', withImport)).toEqual(['2 contact_1_0.getUserWithOptions']);
  });

  it('knows the JS root entry (`{ contact_1_0 } from "@alicloud/dingtalk"`) and C# namespaces', () => {
    const js = "import { contact_1_0 } from '@alicloud/dingtalk';\nconst c = new contact_1_0.default(cfg);\nawait c.getUser(id);";
    expect(sdk('a.ts', js)).toContain('3 contact_1_0.getUser');
    const cs = 'using AlibabaCloud.SDK.Dingtalkcontact_1_0;\nvar r = await client.GetUserWithOptionsAsync(id, headers, runtime);';
    expect(sdk('A.cs', cs)).toEqual(['2 contact_1_0.getUserWithOptions']);
  });

  it("finds each language's SDK imports after a first mention of the package that is none", () => {
    const imports: Record<string, [string, string]> = {
      'a.ts': ["// @alicloud/dingtalk/README\n", "import Client from '@alicloud/dingtalk/contact_1_0';\n"],
      'A.java': ['// com.aliyun.dingtalk docs\n', 'import com.aliyun.dingtalkcontact_1_0.Client;\n'],
      'a.py': ['# alibabacloud_dingtalk.docs\n', 'from alibabacloud_dingtalk.contact_1_0.client import Client\n'],
      'a.go': ['// github.com/alibabacloud-go/dingtalk/docs\n', 'import c1 "github.com/alibabacloud-go/dingtalk/contact_1_0"\n'],
      'A.cs': ['// AlibabaCloud.SDK.Dingtalk docs\n', 'using AlibabaCloud.SDK.Dingtalkcontact_1_0;\n'],
      'a.php': ['// AlibabaCloud\\SDK\\Dingtalk\\Vdocs\n', 'use AlibabaCloud\\SDK\\Dingtalk\\Vcontact_1_0\\Dingtalk;\n'],
    };
    for (const [file, [mention, line]] of Object.entries(imports)) {
      expect(extractFile(file, mention + line + mention).sdkModules, file).toEqual(['contact_1_0']);
      expect(extractFile(file, line).sdkModules, file).toEqual(['contact_1_0']);
      expect(extractFile(file, mention + mention).sdkModules, file).toEqual([]);
    }
  });

  it('PHP: the module from `use AlibabaCloud\\SDK\\Dingtalk\\V<module>\\Dingtalk`, calls with ->', () => {
    const php = [
      '<?php',
      'use AlibabaCloud\\SDK\\Dingtalk\\Vcontact_1_0\\Dingtalk;',
      '$client = new Dingtalk($config);',
      '$client->getUserWithOptions($unionId, $headers, new RuntimeOptions([]));',
      '$logger->info("x");',
    ].join('\n');
    expect(sdk('a.php', php)).toEqual(['4 contact_1_0.getUserWithOptions', '5 contact_1_0.info']);
    // without the SDK's `use`, `->` calls are nobody's
    expect(sdk('a.php', '<?php\n$client->getUserWithOptions($id);')).toEqual([]);
  });

  it('binds receivers to modules when a file uses several', () => {
    const text = [
      'import (',
      '  c1 "github.com/alibabacloud-go/dingtalk/contact_1_0"',
      '  im "github.com/alibabacloud-go/dingtalk/im_1_0"',
      ')',
      'cl, _ := c1.NewClient(cfg)',
      'cl.GetUser(&id)',
      'other.GetUser(&id)',
    ].join('\n');
    const calls = sdk('main.go', text);
    expect(calls).toContain('6 contact_1_0.getUser');
    expect(calls).toContain('7 contact_1_0,im_1_0.getUser');
  });
});

describe('SDK bindings wherever the imports and assignments are', () => {
  it('binds JS clients imported after prose, a bare mention of the module path and long blank runs', () => {
    const prose = 'see the docs for how to call this = new thing\n'.repeat(30);
    const lines = [
      '// @alicloud/dingtalk/contact_1_0 and @alicloud/dingtalk/im_1_0 are used below',
      prose,
      `const   Contact${' '.repeat(300)}= require('@alicloud/dingtalk/contact_1_0');`,
      `import * as Im${'\n'.repeat(50)}from "@alicloud/dingtalk/im_1_0";`,
      `const c = new Contact.default(cfg), i =${' '.repeat(150)}new Im.default(cfg);`,
      'await c.getUser(id);',
      'await i.getUser(id);',
      'const d = new lib.Im(cfg);',
      'await d.getUser(id);',
      'await other.getUser(id);',
    ];
    // with and without the first mention: then each import is its module path's first occurrence
    for (const text of [lines.join('\n'), lines.slice(1).join('\n')]) {
      const at = (needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
      const calls = sdk('a.ts', text).filter((call) => call.endsWith('.getUser'));
      expect(calls).toEqual([`${at('c.getUser')} contact_1_0.getUser`, `${at('i.getUser')} im_1_0.getUser`, `${at('d.getUser')} im_1_0.getUser`, `${at('other.getUser')} contact_1_0,im_1_0.getUser`]);
    }
  });
});

describe('the false-positive rule (real catalog)', () => {
  it('a bare path is specific only with /topapi/ or three literal segments', () => {
    expect(specificPath('/v1.0/contact/users/{}')).toBe(false);
    expect(specificPath('/v1.0/calendar/users/{}/calendars/{}/events')).toBe(true);
    expect(specificPath('/topapi/v2/user/get')).toBe(true);
  });

  it('ignores other hosts and context-free generic paths, keeps DingTalk ones', () => {
    const out = scan({
      'router.ts': [
        "router.get('/v1.0/contact/users/:id', h);",
        "const gh = 'https://api.github.com/v1.0/contact/users/octocat';",
        "const other = 'https://api.example.com/topapi/v2/user/get';",
        "router.get('/v1.0/users/:id', h);",
      ].join('\n'),
      'dt.ts': "// base: https://api.dingtalk.com\nexport const get = (id) => http.get('/v1.0/contact/users/' + id);",
      'cal.ts': "export const ev = (u, c) => axios.get(`/v1.0/calendar/users/${u}/calendars/${c}/events`);",
    });
    expect(out.apis).toEqual([
      'GET /v1.0/calendar/users/{userId}/calendars/{calendarId}/events [Calendar.Event.Read] cal.ts:1',
      'GET /v1.0/contact/users/{unionId} [Contact.User.Read] dt.ts:2',
    ]);
    expect(out.unknown).toEqual([]);
  });

  it('reports comment URLs marked, DingTalk URLs the catalog lacks apart, and every method when none is visible', () => {
    const out = scan({
      'a.py': [
        '# GET https://api.dingtalk.com/v1.0/contact/users/{unionId}',
        'url = f"https://api.dingtalk.com/v1.0/calendar/users/{u}/calendars/{c}/events"',
        'requests.get(f"https://api.dingtalk.com/v1.0/contact/noSuchThing/{x}")',
      ].join('\n'),
    });
    expect(out.apis).toEqual([
      'GET /v1.0/calendar/users/{userId}/calendars/{calendarId}/events [Calendar.Event.Read] a.py:2?',
      'POST /v1.0/calendar/users/{userId}/calendars/{calendarId}/events [Calendar.Event.Write] a.py:2?',
      'GET /v1.0/contact/users/{unionId} [Contact.User.Read] a.py:1#',
    ]);
    expect(out.unknown).toEqual(['GET api.dingtalk.com/v1.0/contact/noSuchThing/{} a.py:3']);
  });

  it('a bare legacy literal needs DingTalk context', () => {
    expect(scan({ 'a.js': "post('/chat/get')" }).apis).toEqual([]);
    expect(scan({ 'a.js': "// dingtalk\nget('/chat/get')" }).apis).toEqual(['GET /chat/get [qyapi_chat_read] a.js:2']);
  });

  it('one-word SDK methods (query, send…) count only on a client receiver', () => {
    const names = getCatalog()
      .allApis()
      .filter((a) => a.sdkMethod && /^[a-z]+$/.test(a.sdkMethod) && a.product);
    const api = names[0]!;
    // The SDK's directory name (ai_interaction_1_0), as imports spell it.
    const mod = api.sources.map((src) => /dist\/([^/]+)\/client\.js/.exec(src)?.[1]).find(Boolean)!;
    const text = `import Client from '@alicloud/dingtalk/${mod}';\nconst c = new Client(cfg);\ndb.${api.sdkMethod}(sql);\nc.${api.sdkMethod}(req);\nclient.${api.sdkMethod}(req);`;
    const out = scan({ 'a.ts': text });
    expect(out.apis).toEqual([`${api.method} ${api.path} [${api.scopes.join(',')}] a.ts:4 a.ts:5`]);
  });

  it("Python's acronym spellings (batch_send_otowith_options, get_form_data_by_idwith_options_async) name their APIs", () => {
    // As the SDK calls itself (github.com/aliyun/dingtalk-sdk dingtalk/python/alibabacloud_dingtalk/robot_1_0/client.py:737
    // `return self.batch_send_otowith_options(request, headers, runtime)`) and as DingTalk's robot samples call it.
    const text = [
      'from alibabacloud_dingtalk.robot_1_0.client import Client as dingtalkrobot_1_0Client',
      'from alibabacloud_dingtalk.yida_1_0.client import Client as dingtalkyida_1_0Client',
      'robot = dingtalkrobot_1_0Client(config)',
      'yida = dingtalkyida_1_0Client(config)',
      'robot.batch_send_otowith_options(batch_send_otorequest, batch_send_otoheaders, util_models.RuntimeOptions())',
      'await yida.get_form_data_by_idwith_options_async(form_id, request, headers, runtime)',
      'robot.batch_otoquery(request)',
    ].join('\n');
    expect(sdk('a.py', text)).toEqual([
      '5 robot_1_0.batch_send_otowith_options',
      '5 robot_1_0,yida_1_0.RuntimeOptions', // a candidate the catalog then drops
      '6 yida_1_0.get_form_data_by_idwith_options_async',
      '7 robot_1_0.batch_otoquery',
    ]);
    expect(scan({ 'a.py': text }).apis).toEqual([
      'POST /v1.0/robot/oToMessages/batchSend [qyapi_robot_sendmsg] a.py:5',
      'GET /v1.0/robot/oToMessages/readStatus [qyapi_robot_sendmsg] a.py:7',
      'GET /v1.0/yida/forms/instances/{id} [] a.py:6',
    ]);
  });

  it('an SDK method the catalog lacks for that module is not counted', () => {
    const out = scan({ 'a.py': 'from alibabacloud_dingtalk.contact_1_0.client import Client\nclient.get_user(x)\nclient.no_such_method(x)\nrequests.get(u)' });
    expect(out.apis).toEqual(['GET /v1.0/contact/users/{unionId} [Contact.User.Read] a.py:2']);
  });
});
