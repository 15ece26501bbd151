/**
 * `diagnose --lang zh`: the platform evidence words and the GitHub annotation titles are Chinese
 * too (the English run keeps `host …, wording …` and `DingTalk:`).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './helpers/run-cli.js';

const example = join(ROOT, 'examples', 'legacy-60020.json');

describe('diagnose --lang zh: evidence and annotation titles', () => {
  it('text: 主机 / 措辞 instead of host / wording', async () => {
    const zh = await runCli(['diagnose', example, '--lang', 'zh']);
    expect(zh.stdout).toContain('钉钉（主机 open.dingtalk.com，措辞 访问ip不在白名单之中）');
    expect(zh.stdout).not.toMatch(/\b(?:host|wording) /);
    const en = await runCli(['diagnose', example]);
    expect(en.stdout).toContain('DingTalk (host open.dingtalk.com, wording 访问ip不在白名单之中)');
  });

  it('--format github: the title starts with 钉钉：', async () => {
    const zh = await runCli(['diagnose', example, '--lang', 'zh', '--format', 'github']);
    expect(zh.stdout).toMatch(/^::error file=[^,]+,line=1,title=钉钉：/m);
    expect(zh.stdout).not.toContain('DingTalk:');
    const en = await runCli(['diagnose', example, '--format', 'github']);
    expect(en.stdout).toMatch(/^::error file=[^,]+,line=1,title=DingTalk%3A /m); // a property's ':' is %-escaped
  });
});
