#!/usr/bin/env node
// Re-runs every README example block of the form
//   ```console\n$ npx dingtalk-doctor <args>\n<output>\n$ echo $?\n<code>\n```
// on the built CLI and writes the real output and exit code back (test/diagnose-readme.test.ts
// fails when they drift). Usage: npm run build && node scripts/update-readme-examples.mjs
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const readmePath = join(root, 'README.md');
const home = mkdtempSync(join(tmpdir(), 'dd-readme-'));
const env = { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: home, LANG: 'en_US.UTF-8', NO_COLOR: '1' };
const splitArgs = (line) => [...line.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]);

let changed = 0;
const readme = readFileSync(readmePath, 'utf8').replace(
  /```console\n\$ npx dingtalk-doctor ([^\n|<>]*)\n([\s\S]*?)\n\$ echo \$\?\n(\d+)\n```/g,
  (block, command, output, code) => {
    const r = spawnSync(process.execPath, [join(root, 'bin', 'dingtalk-doctor.cjs'), ...splitArgs(command)], { cwd: root, env, encoding: 'utf8' });
    const now = `\`\`\`console\n$ npx dingtalk-doctor ${command}\n${(r.stdout + r.stderr).trimEnd()}\n$ echo $?\n${r.status}\n\`\`\``;
    if (now !== block) changed++;
    return now;
  },
);
writeFileSync(readmePath, readme);
console.log(`README examples updated: ${changed} changed`);
