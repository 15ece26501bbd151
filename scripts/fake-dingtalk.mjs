#!/usr/bin/env node
// A fake DingTalk on 127.0.0.1 for trying `check` and `diagnose --replay` without credentials
// (the same server the tests use: test/fake-dingtalk/server.ts, compiled on the fly).
//   node scripts/fake-dingtalk.mjs [--port 8787]
// then, in another terminal:
//   CRM_APP_SECRET=demo-secret DINGTALK_API_BASE=http://127.0.0.1:8787 \
//     npx dingtalk-doctor check --config examples/demo-dingtalkrc.yml
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { port: { type: 'string', default: '8787' } } });
// Beside src/ so the catalog (src/data) is found the way the sources find it.
const out = join(root, '.fake-dingtalk', 'server.mjs');
await build({
  entryPoints: [join(root, 'test', 'fake-dingtalk', 'server.ts')],
  outfile: out,
  bundle: true,
  format: 'esm',
  platform: 'node',
  logLevel: 'warning',
  banner: { js: "import { createRequire as __r } from 'node:module'; const require = __r(import.meta.url);" },
});
const { startFakeDingTalk } = await import(pathToFileURL(out).href);
const fake = await startFakeDingTalk({
  port: Number(values.port),
  apps: {
    // The demo app has Contact.User.Read but not Calendar.Event.Write or qyapi_get_department_list.
    crm: { type: 'internal', appKey: 'dingdemoappkey0001', appSecret: 'demo-secret', grants: ['Contact.User.Read'] },
  },
});
console.log(`fake DingTalk listening on ${fake.url} (Ctrl-C to stop)`);
console.log(`try: CRM_APP_SECRET=demo-secret DINGTALK_API_BASE=${fake.url} npx dingtalk-doctor check --config examples/demo-dingtalkrc.yml`);
process.on('SIGINT', () => fake.close().then(() => process.exit(0)));
