/**
 * `diagnose` over a generated log (default 200 MB) with scattered denials, vs `grep -c requiredScopes`
 * on the same file (page-cached). Target: throughput ≥ 0.25× of grep, peak RSS < 100 MB.
 */
import { createWriteStream, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';

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

export async function generateLog(file, megabytes) {
  if (existsSync(file) && statSync(file).size >= megabytes * 1e6) return;
  const out = createWriteStream(file);
  let written = 0;
  let i = 0;
  const target = megabytes * 1e6;
  while (written < target) {
    let chunk = '';
    for (let k = 0; k < 2000; k++, i++) {
      const line = i % 20011 === 0 ? DENIALS[(i / 20011) % DENIALS.length] : NOISE[i % NOISE.length];
      chunk += `${line}\n`;
    }
    written += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

export default async function benchLog({ bin, tmp, median, timeProcess, timeWithRss, report, logMb, runs }) {
  const file = join(tmp, `app-${logMb}mb.log`);
  await generateLog(file, logMb);
  const bytes = statSync(file).size;
  timeProcess('grep', ['-c', 'requiredScopes', file]); // warm the page cache
  const grep = [];
  const ours = [];
  let rss = 0;
  for (let i = 0; i < runs; i++) {
    grep.push(timeProcess('grep', ['-c', 'requiredScopes', file]).ms);
    const r = timeWithRss(process.execPath, [bin, 'diagnose', '--json', file]);
    if (r.status !== 1) throw new Error(`diagnose exited ${r.status}: ${r.stderr.slice(0, 300)}`);
    ours.push(r.ms);
    rss = Math.max(rss, r.rssMiB);
  }
  const ratio = median(grep) / median(ours);
  const mbps = bytes / 1e6 / (median(ours) / 1000);
  report(`diagnose ${logMb} MB log: throughput vs grep -c`, ratio, { text: '≥ 0.25×', test: (v) => v >= 0.25 },
    `(${mbps.toFixed(0)} MB/s vs grep ${(bytes / 1e6 / (median(grep) / 1000)).toFixed(0)} MB/s, ${runs} runs)`);
  report(`diagnose ${logMb} MB log: peak RSS (MiB)`, rss, { text: '< 100 MiB', test: (v) => v < 100 }, '(max over runs)');
}
