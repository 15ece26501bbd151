/**
 * The README's examples are real: every `$ npx dingtalk-doctor diagnose|scopes|explain …` block
 * (without a pipe or redirection) is re-run on the built CLI and must print exactly what
 * the README shows, with the exit code it shows.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/run-cli.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const blocks = [...readme.matchAll(/```console\n\$ npx dingtalk-doctor ((?:diagnose|scopes|explain)[^\n|<>]*)\n([\s\S]*?)\n\$ echo \$\?\n(\d+)\n```/g)];
const home = mkdtempSync(join(tmpdir(), 'dd-readme-'));

function splitArgs(line: string): string[] {
  return [...line.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]!);
}

describe('README diagnose examples', () => {
  it('has one per input kind', () => {
    expect(blocks.filter(([, command]) => command!.startsWith('diagnose')).length).toBeGreaterThanOrEqual(14);
    expect(blocks.filter(([, command]) => command!.startsWith('scopes')).length).toBeGreaterThanOrEqual(5);
  });
  for (const [, command, output, code] of blocks) {
    it(command!, async () => {
      const r = await runCli(splitArgs(command!), { env: { NO_COLOR: '1', XDG_CONFIG_HOME: home, HOME: home } });
      expect((r.stdout + r.stderr).trimEnd()).toBe(output);
      expect(String(r.code)).toBe(code);
    });
  }
});
