/**
 * `diagnose` over two generated logs vs `grep -c requiredScopes` on the same file (page-cached):
 *  - the toy log (default 200 MB): app noise with no DingTalk in it, a denial every ~20k lines;
 *  - the realistic log (default 100 MB, issue 12 §4): a busy DingTalk integration, mostly
 *    SUCCESSFUL DingTalk traffic in every SDK's log style — `{"errcode":0,"errmsg":"ok"}` answers
 *    on oapi URLs, `GET https://api.dingtalk.com/v1.0/… 200` lines, token refreshes, pino lines with
 *    `statusCode`, logfmt lines with `node=`/`mode=`/`encode=` — with a few planted denials.
 * Target on each: throughput ≥ 0.25× grep, peak RSS < 100 MiB, and exactly the planted findings
 * (the findings of the planted lines parsed alone, compared on cause, code and scopes).
 * Run with `node bench/run.mjs --only log [--log-mb 200] [--realistic-mb 100] [--runs 5]`.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';

// ---------------------------------------------------------------- the toy log

const NOISE = [
  '2026-11-26T03:21:07.123Z INFO  [http-nio-8080-exec-3] c.e.crm.web.OrderController - GET /api/orders/81723 200 12ms user=4412',
  '2026-11-26T03:21:07.125Z DEBUG [pool-2-thread-1] c.e.crm.sync.ContactSync - fetched page 17 of contacts (100 rows) cursor=eyJwIjoxN30',
  '2026-11-26T03:21:07.131Z WARN  [scheduler-1] c.e.crm.jobs.Reminder - reminder 5521 delayed by 250ms, queue depth 3',
  '{"level":"info","time":"2026-11-26T03:21:07.140Z","msg":"request completed","method":"POST","path":"/internal/ping","status":200,"ms":1}',
];
const DENIALS = [
  '2026-11-26T03:21:08.000Z ERROR [pool-2-thread-2] c.e.crm.sync.ContactSync - dingtalk call failed: {"requestid":"A1B2C3","code":"Forbidden.AccessDenied.AccessTokenPermissionDenied","message":"应用尚未开通所需的权限：[Contact.User.Read]","accessdenieddetail":{"requiredScopes":["Contact.User.Read"]}}',
  '2026-11-26T03:21:09.000Z ERROR [pool-2-thread-3] c.e.crm.Notify - oapi error {"errcode":88,"sub_code":"60011","sub_msg":"应用尚未开通所需的权限：[qyapi_robot_sendmsg]","errmsg":"ding talk error[subcode=60011,submsg=应用尚未开通所需的权限：[qyapi_robot_sendmsg]]","request_id":"15r2q"}',
  '2026-11-26T03:21:10.000Z ERROR [pool-2-thread-4] c.e.crm.Cal - {"requestid":"D4E5F6","code":"Forbidden.AccessDenied.IpNotInWhiteList","message":"访问ip不在白名单之中,request ip=203.0.113.7 appKey(dingabc123)"}',
];

function toyLines(i) {
  return i % 20011 === 0 ? DENIALS[(i / 20011) % DENIALS.length] : NOISE[i % NOISE.length];
}

// ---------------------------------------------------------------- the realistic log

/** Deterministic pseudo-random numbers (mulberry32), so every run writes the same log. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NEW_APIS = [
  ['GET', '/v1.0/contact/users/me'],
  ['GET', '/v1.0/contact/users/{unionId}'],
  ['GET', '/v1.0/calendar/users/{unionId}/calendars/primary/events'],
  ['POST', '/v1.0/robot/oToMessages/batchSend'],
  ['POST', '/v1.0/im/interactiveCards/send'],
  ['GET', '/v1.0/yida/forms/instances/{id}'],
  ['POST', '/v1.0/todo/users/{unionId}/tasks'],
  ['GET', '/v1.0/attendance/groups/{id}/members'],
];
const OAPI = [
  ['POST', '/topapi/v2/user/get', '"result":{"userid":"manager4220","name":"张三","dept_id_list":[1,2]}'],
  ['POST', '/topapi/message/corpconversation/asyncsend_v2', '"task_id":283183183180'],
  ['POST', '/topapi/v2/department/listsub', '"result":[{"dept_id":2,"name":"研发部","parent_id":1}]'],
  ['POST', '/topapi/processinstance/get', '"process_instance":{"title":"请假","status":"COMPLETED","result":"agree"}'],
  ['GET', '/user/getuserinfo', '"userid":"manager4220","sys_level":1,"is_sys":true'],
  ['POST', '/topapi/attendance/list', '"recordresult":[],"hasMore":false'],
];
const pick = (r, xs) => xs[Math.floor(r() * xs.length)];
const hex = (r, n) => Array.from({ length: n }, () => Math.floor(r() * 16).toString(16)).join('');
const fill = (path, r) => path.replace(/\{[^}]+\}/g, () => `${hex(r, 8)}iE${hex(r, 6)}`);

/** One line of successful traffic, in the log style of a Java, Node, Go or Python service. */
function successLine(r, t) {
  const ts = new Date(Date.UTC(2026, 10, 26, 3) + t).toISOString();
  const rid = `${hex(r, 8)}-${hex(r, 4)}-${hex(r, 4)}-${hex(r, 4)}-${hex(r, 12)}`.toUpperCase();
  const ms = 8 + Math.floor(r() * 300);
  const [m, p] = pick(r, NEW_APIS);
  const url = `https://api.dingtalk.com${fill(p, r)}`;
  const [om, op, result] = pick(r, OAPI);
  const ourl = `https://oapi.dingtalk.com${op}?access_token=***`;
  switch (Math.floor(r() * 14)) {
    case 0: // Spring Boot / logback, an oapi call logged with its answer
      return `${ts.replace('T', ' ').slice(0, 23)}  INFO 4412 --- [http-nio-8080-exec-${1 + Math.floor(r() * 9)}] c.e.crm.dingtalk.DingTalkClient : ${om} ${ourl} -> {"errcode":0,"errmsg":"ok",${result},"request_id":"${hex(r, 12)}"}`;
    case 1: // the same answer logged alone (Java DingTalkClient's debug body)
      return `${ts} DEBUG [pool-2-thread-${1 + Math.floor(r() * 4)}] c.d.api.DefaultDingTalkClient - response: {"errcode":0,"errmsg":"ok",${result},"request_id":"${hex(r, 12)}"}`;
    case 2: // Node @alicloud/dingtalk call logged by the app (pino)
      return `{"level":30,"time":${Date.UTC(2026, 10, 26, 3) + t},"pid":4412,"hostname":"web-${1 + Math.floor(r() * 3)}","module":"dingtalk","msg":"${m} ${url} 200","statusCode":200,"responseTime":${ms},"requestId":"${rid}"}`;
    case 3: // pino-http's access line of our own API
      return `{"level":30,"time":${Date.UTC(2026, 10, 26, 3) + t},"pid":4412,"hostname":"web-1","reqId":"req-${hex(r, 5)}","req":{"method":"GET","url":"/api/users/${Math.floor(r() * 1e5)}"},"res":{"statusCode":200},"responseTime":${ms},"msg":"request completed"}`;
    case 4: // Go service, logfmt
      return `time=${ts} level=info msg="dingtalk call" method=${m} url=${url} status=200 duration=${ms}ms node=web-${1 + Math.floor(r() * 3)} mode=cluster encode=gzip trace_id=${hex(r, 16)}`;
    case 5: // Go, a legacy oapi answer logged
      return `${ts.slice(0, 19).replace('T', ' ').replace(/-/g, '/')} dingtalk: ${om} ${ourl} {"errcode":0,"errmsg":"ok",${result},"request_id":"${hex(r, 12)}"}`;
    case 6: // Python logging
      return `${ts.replace('T', ' ').slice(0, 19)},${String(t % 1000).padStart(3, '0')} INFO [dingtalk.client] ${m} ${url} 200 OK (${ms} ms)`;
    case 7: // token refresh, new API
      return `${ts} INFO  [token-refresher] c.e.crm.dingtalk.TokenCache - POST https://api.dingtalk.com/v1.0/oauth2/accessToken 200 {"expireIn":7200,"accessToken":"***"}`;
    case 8: // token refresh, legacy
      return `${ts} INFO  [token-refresher] c.e.crm.dingtalk.TokenCache - GET https://oapi.dingtalk.com/gettoken?appkey=dingabc123&appsecret=*** -> {"errcode":0,"access_token":"***","errmsg":"ok","expires_in":7200}`;
    case 9: // stream-mode callbacks (dingtalk-stream SDK) and node/mode/encode noise
      return `${ts} INFO dingtalk-stream: callback topic=/v1.0/im/bot/messages/get node=web-2 mode=stream encode=json messageId=${hex(r, 24)} statusCode=200`;
    case 10: // nginx access log of our own service
      return `10.0.${Math.floor(r() * 9)}.${Math.floor(r() * 250)} - - [26/Nov/2026:03:21:07 +0000] "GET /api/orders/${Math.floor(r() * 1e5)} HTTP/1.1" 200 ${200 + Math.floor(r() * 4000)} "-" "okhttp/4.9.3" rt=0.0${Math.floor(r() * 90)}`;
    case 11: // Node HTTP-client debug line with a status code
      return `${ts} debug axios: ${m} ${url} statusCode=200 content-type=application/json encode=utf-8 x-acs-request-id=${rid}`;
    case 12: // a Java app log line without DingTalk
      return `${ts} INFO  [scheduler-1] c.e.crm.jobs.Reminder - reminder ${Math.floor(r() * 1e4)} sent, next run in ${ms} s, mode=batch`;
    default: // Python service, an SDK answer dumped
      return `${ts.replace('T', ' ').slice(0, 19)} DEBUG alibabacloud_dingtalk: response {'statusCode': 200, 'headers': {'x-acs-request-id': '${rid}'}, 'body': {'result': True}}`;
  }
}

/** The planted denials: self-contained (each names its API on its own line, or none), one per style. */
const PLANTED = [
  '2026-11-26T04:00:00.000Z ERROR [pool-2-thread-2] c.e.crm.sync.ContactSync - dingtalk GET https://api.dingtalk.com/v1.0/contact/users/me failed: {"requestid":"A1B2C3D4-0000-4000-8000-000000000001","code":"Forbidden.AccessDenied.AccessTokenPermissionDenied","message":"应用尚未开通所需的权限：[Contact.User.Read]","accessdenieddetail":{"requiredScopes":["Contact.User.Read"]}}',
  '2026-11-26T04:10:00.000Z ERROR [pool-2-thread-3] c.e.crm.Notify - POST https://oapi.dingtalk.com/topapi/message/corpconversation/asyncsend_v2 -> {"errcode":88,"sub_code":"60011","sub_msg":"应用尚未开通所需的权限：[qyapi_robot_sendmsg]","errmsg":"ding talk error[subcode=60011,submsg=应用尚未开通所需的权限：[qyapi_robot_sendmsg]]","request_id":"15r2q0000001"}',
  '{"level":50,"time":1764131400000,"pid":4412,"hostname":"web-2","module":"dingtalk","msg":"POST https://api.dingtalk.com/v1.0/calendar/users/abc/calendars/primary/events 403","statusCode":403,"err":{"code":"Forbidden.AccessDenied.AccessTokenPermissionDenied","requestid":"A1B2C3D4-0000-4000-8000-000000000003","accessdenieddetail":{"requiredScopes":["Calendar.Event.Write"]}}}',
  'time=2026-11-26T04:30:00Z level=error msg="dingtalk call failed" method=GET url=https://oapi.dingtalk.com/gettoken status=200 body="{\\"errcode\\":60020,\\"errmsg\\":\\"访问ip不在白名单之中,request ip=203.0.113.7 appKey(dingabc123)\\"}" node=web-3 mode=cluster',
  '2026-11-26 04:40:00,000 ERROR [dingtalk.client] POST https://api.dingtalk.com/v1.0/robot/oToMessages/batchSend 403 {"requestid":"A1B2C3D4-0000-4000-8000-000000000005","code":"Forbidden.AccessDenied.AccessTokenPermissionDenied","message":"应用尚未开通所需的权限：[qyapi_robot_sendmsg]","accessdenieddetail":{"requiredScopes":["qyapi_robot_sendmsg"]}}',
  '2026-11-26T04:50:00.000Z ERROR [pool-2-thread-1] c.e.crm.Users - POST https://oapi.dingtalk.com/topapi/v2/user/get -> {"errcode":60011,"errmsg":"没有调用该接口的权限，接口权限申请参考：https://open.dingtalk.com/document/orgapp-server/add-api-permission","request_id":"15r2q0000006"}',
];

export function realisticLines(r) {
  let t = 0;
  return (i) => {
    t += 1 + Math.floor(r() * 20);
    return i % 87_383 === 43_691 ? PLANTED[Math.floor(i / 87_383) % PLANTED.length] : successLine(r, t);
  };
}

export async function generateLog(file, megabytes, lineAt) {
  if (existsSync(file) && statSync(file).size >= megabytes * 1e6) return;
  const out = createWriteStream(file);
  let written = 0;
  let i = 0;
  const target = megabytes * 1e6;
  while (written < target) {
    let chunk = '';
    for (let k = 0; k < 2000; k++, i++) chunk += `${lineAt(i)}\n`;
    written += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** What the log must give: the findings of its planted lines, each parsed on its own. */
function plantedFindings(bin, tmp, file, lines) {
  const alone = join(tmp, `${file}.planted.txt`);
  writeFileSync(alone, `${[...new Set(lines)].join('\n')}\n`);
  return findingKeys(spawnSync(process.execPath, [bin, 'diagnose', '--json', alone], { encoding: 'utf8' }).stdout);
}
const findingKeys = (json) =>
  JSON.parse(json).findings.map((f) => `${f.cause} ${f.code ?? '-'} [${f.scopes.map((s) => s.code).sort().join(',')}]`).sort();

async function benchOne({ bin, tmp, median, timeProcess, timeWithRss, report, runs }, { label, file, megabytes, lineAt, planted }) {
  await generateLog(file, megabytes, lineAt);
  const bytes = statSync(file).size;
  const expected = plantedFindings(bin, tmp, label, planted);
  timeProcess('grep', ['-c', 'requiredScopes', file]); // warm the page cache
  const grep = [];
  const ours = [];
  let rss = 0;
  let found = null;
  for (let i = 0; i < runs; i++) {
    grep.push(timeProcess('grep', ['-c', 'requiredScopes', file]).ms);
    const r = timeWithRss(process.execPath, [bin, 'diagnose', '--json', file]);
    if (r.status !== 1) throw new Error(`diagnose exited ${r.status}: ${r.stderr.slice(0, 300)}`);
    ours.push(r.ms);
    rss = Math.max(rss, r.rssMiB);
    found ??= findingKeys(r.stdout);
  }
  const ratio = median(grep) / median(ours);
  const mbps = bytes / 1e6 / (median(ours) / 1000);
  const same = JSON.stringify(found) === JSON.stringify(expected);
  const mb = Math.round(bytes / 1e6);
  report(`diagnose ${mb} MB ${label} log: throughput vs grep -c`, ratio, { text: '≥ 0.25×', test: (v) => v >= 0.25 },
    `(${mbps.toFixed(0)} MB/s vs grep ${(bytes / 1e6 / (median(grep) / 1000)).toFixed(0)} MB/s, median of ${runs} paired runs)`);
  report(`diagnose ${mb} MB ${label} log: peak RSS (MiB)`, rss, { text: '< 100 MiB', test: (v) => v < 100 }, '(max over runs)');
  report(`diagnose ${mb} MB ${label} log: findings = the planted ones`, same ? expected.length : -1, { text: `exactly ${expected.length}`, test: () => same },
    same ? `(${expected.length} distinct: ${expected.join('; ')})` : `(found ${JSON.stringify(found)}, planted ${JSON.stringify(expected)})`);
}

export default async function benchLog(ctx) {
  const { tmp, logMb, realisticMb } = ctx;
  const r = rng(12);
  const realistic = realisticLines(r);
  const logs = [
    { label: 'realistic', file: join(tmp, `dingtalk-v1-${realisticMb}mb.log`), megabytes: realisticMb, lineAt: realistic, planted: PLANTED },
    { label: 'toy', file: join(tmp, `app-${logMb}mb.log`), megabytes: logMb, lineAt: toyLines, planted: DENIALS },
  ];
  for (const log of logs) await benchOne(ctx, log);
}
