/**
 * The API side of `scopes`: `scopes for` (which scope an API needs) and `scopes learned` (API →
 * scope pairs observed by diagnose --learn). Registered by scopes.ts.
 */
import type { Command } from 'commander';
import { getCatalog } from '../catalog/index.js';
import { parseForQuery, resolveFor } from '../catalog/resolve.js';
import { learnedPath, loadLearned } from '../config/learned.js';
import { usageError } from '../errors.js';
import * as render from '../render/scopes.js';
import { action, withExamples, type Out } from './shared.js';

export const emit = (out: Out, doc: unknown, text: () => string) => (out.opts.format === 'json' ? out.json(doc) : out.print(text()));

export function registerScopesFor(scopes: Command): void {
  const forCommand = scopes
    .command('for')
    .description('which scope(s) an API needs: METHOD /path, a URL, a legacy oapi URL or an SDK name')
    .argument('<target...>', '"GET /v1.0/contact/users/0123", a URL, or "contact_1_0 getUser" / GetUser')
    .action(
      action(async (out, _opts, target: string[]) => {
        const text = target.join(' ');
        const query = parseForQuery(target);
        if (!query) throw usageError(`cannot read "${text}" as an API`, 'give "METHOD /path", a URL, or an SDK name like "contact_1_0 getUser"');
        const catalog = getCatalog().withLearned(loadLearned());
        const answer = resolveFor(catalog, query);
        if (!answer.matches.length) {
          const hint = query.type === 'sdk' ? 'check the SDK module and method (e.g. "contact_1_0 getUser")' : 'check the path (new APIs start with /v1.0 or /v2.0; legacy ones are on oapi.dingtalk.com)';
          throw usageError(`no DingTalk API in the catalog matches "${text}"`, hint);
        }
        emit(out, render.forDoc(text, answer, catalog), () => render.renderFor(answer, catalog, out.opts));
        return 0;
      }),
    );
  withExamples(forCommand, [
    ['dingtalk-doctor scopes for GET /v1.0/contact/users/0123', 'real ids match the {unionId} template'],
    ['dingtalk-doctor scopes for "https://oapi.dingtalk.com/topapi/v2/user/get?access_token=x"', 'a legacy URL'],
    ['dingtalk-doctor scopes for contact_1_0 getUser', 'an SDK method'],
  ]);
}

export function registerScopesLearned(scopes: Command): void {
  const learned = scopes
    .command('learned')
    .description('list the API → scope pairs recorded by diagnose --learn (to contribute back)')
    .action(
      action(async (out) => {
        const file = learnedPath();
        const entries = loadLearned();
        emit(out, render.learnedDoc(file, entries, getCatalog()), () => render.renderLearned(file, entries, getCatalog(), out.opts));
        return 0;
      }),
    );
  withExamples(learned, [['dingtalk-doctor scopes learned --json', 'observed pairs as JSON']]);
}
