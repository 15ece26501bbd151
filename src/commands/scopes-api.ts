/**
 * The API side of `scopes`: `scopes for` (which scope an API needs) and `scopes learned` (API →
 * scope pairs observed by diagnose --learn). Registered by scopes.ts.
 */
import type { Command } from 'commander';
import { getCatalog, type Catalog, type LearnedEntry } from '../catalog/index.js';
import { parseForQuery, resolveFor, type ForAnswer } from '../catalog/resolve.js';
import { learnedPath, loadLearned } from '../config/learned.js';
import { uiError } from '../render/messages.js';
import type { Outcome, OutputOptions, Renderers } from '../render/output.js';
import * as render from '../render/scopes.js';
import { action, withExamples, type Out } from './shared.js';
import { addArguments, type PlainCommand } from './plain-args.js';

/** A catalog question's renderers: its JSON document, and text — markdown too (the text renderers switch on the format). */
export function catalogRenderers<R>(json: (result: R, opts: OutputOptions) => unknown, text: (result: R, opts: OutputOptions) => string): Renderers<R> {
  return { text, markdown: text, json };
}

type Answered = { text: string; answer: ForAnswer; catalog: Catalog };
export const forRenderers = catalogRenderers(
  (r: Answered) => render.forDoc(r.text, r.answer, r.catalog),
  (r, o) => render.renderFor(r.answer, r.catalog, o),
);
type Learned = { file: string; entries: LearnedEntry[]; catalog: Catalog };
const learnedRenderers = catalogRenderers(
  (r: Learned) => render.learnedDoc(r.file, r.entries, r.catalog),
  (r, o) => render.renderLearned(r.file, r.entries, r.catalog, o),
);

/** `scopes for`'s operands: commander's, and a plain command line's (scopes.ts). */
export const SCOPES_FOR: PlainCommand = {
  options: [],
  args: [{ name: '<target...>', description: '"GET /v1.0/contact/users/0123", a URL, or "contact_1_0 getUser" / GetUser' }],
};

export async function scopesFor(_out: Out, _opts: object, target: string[]): Promise<Outcome<Answered>> {
  const text = target.join(' ');
  const query = parseForQuery(target);
  if (!query) throw uiError('err.for.not-api', { text }, 'err.for.not-api-hint');
  const catalog = getCatalog().withLearned(loadLearned());
  const answer = resolveFor(catalog, query);
  if (!answer.matches.length) {
    throw uiError('err.for.no-match', { text }, query.type === 'sdk' ? 'err.for.no-match-sdk-hint' : 'err.for.no-match-path-hint');
  }
  return { result: { text, answer, catalog }, exit: 0 };
}

export function registerScopesFor(scopes: Command): void {
  const forCommand = scopes.command('for').description('which scope(s) an API needs: METHOD /path, a URL, a legacy oapi URL or an SDK name');
  addArguments(forCommand, SCOPES_FOR.args).action(action(forRenderers, scopesFor));
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
      action(learnedRenderers, async () => {
        return { result: { file: learnedPath(), entries: loadLearned(), catalog: getCatalog() }, exit: 0 };
      }),
    );
  withExamples(learned, [['dingtalk-doctor scopes learned --json', 'observed pairs as JSON']]);
}
