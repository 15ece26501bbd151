import type { Command } from 'commander';
import { getCatalog } from '../catalog/index.js';
import { readData } from '../catalog/data-dir.js';
import { levenshtein } from '../catalog/indexes.js';
import { explainCode, type CodeExplanation } from '../core/explain-code.js';
import type { AppType } from '../core/types.js';
import { uiError } from '../render/messages.js';
import * as render from '../render/explain.js';
import type { Renderers } from '../render/output.js';
import { action, withExamples } from './shared.js';

interface ExplainOptions {
  appKey?: string;
  appType?: AppType;
}

const renderers: Renderers<CodeExplanation> = {
  text: render.renderExplainText,
  json: render.explainJson,
  markdown: render.renderExplainMarkdown,
  github: render.renderExplainGithub,
};

/** Codes of DingTalk's error table closest to `code` (read only when the code is unknown). */
function nearCodes(code: string, limit = 5): string[] {
  const table = readData<{ fields: string[]; rows: unknown[][] }>('errors.json');
  const at = table.fields.indexOf('code');
  const key = code.toLowerCase();
  const codes = [...new Set(table.rows.map((r) => String(r[at])))];
  return codes
    .map((c) => ({ c, d: levenshtein(key, c.toLowerCase()), part: c.toLowerCase().includes(key) || key.includes(c.toLowerCase()) }))
    .filter((x) => x.d <= Math.max(2, Math.floor(key.length / 4)) || x.part)
    .sort((a, b) => a.d - b.d || a.c.length - b.c.length || (a.c < b.c ? -1 : 1))
    .slice(0, limit)
    .map((x) => x.c);
}

export function registerExplain(program: Command): void {
  const command = program
    .command('explain')
    .description("explain one DingTalk error code (errcode or new-API code), offline: DingTalk's table entry, the cause and the fix")
    .argument('<code>', 'e.g. 60011, 40035, Forbidden.AccessDenied.IpNotInWhiteList')
    .option('--app-key <key>', "the app's AppKey (Client ID), for the per-app link")
    .addOption(program.createOption('--app-type <type>', 'app type, for the right steps and console page').choices(['internal', 'third-party-enterprise', 'third-party-personal']))
    .action(
      action(renderers, async (_out, opts: ExplainOptions, code: string) => {
        const explained = explainCode(code, getCatalog(), { appKey: opts.appKey ?? null, appType: opts.appType ?? null });
        if (!explained) {
          const near = nearCodes(code);
          throw uiError('err.explain.unknown', { code }, near.length ? { id: 'err.explain.did-you-mean', params: { list: near.join(', ') } } : 'err.explain.unknown-hint');
        }
        return { result: explained, exit: 0 };
      }),
    );
  withExamples(command, [
    ['dingtalk-doctor explain 60011', 'a legacy errcode'],
    ['dingtalk-doctor explain Forbidden.AccessDenied.IpNotInWhiteList --json', 'a new-API code, as JSON'],
    ['dingtalk-doctor explain 40035 --lang zh', 'in Chinese'],
  ]);
}
