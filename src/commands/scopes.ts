import type { Command } from 'commander';
import { getCatalog, type Catalog, type Coverage, type ScopeInfo, type SearchHit } from '../catalog/index.js';
import { knownProducts, listScopes } from '../catalog/resolve.js';
import { loadLearnedFile } from '../config/learned.js';
import type { AppType } from '../core/types.js';
import { uiError } from '../render/messages.js';
import * as render from '../render/scopes.js';
import { registerScan } from './scan.js';
import { catalogRenderers, forRenderers, registerScopesFor, registerScopesLearned, SCOPES_FOR, scopesFor } from './scopes-api.js';
import { action, runPlainCommand, withExamples, type Out } from './shared.js';
import { addArguments, addOptions, type PlainCommand } from './plain-args.js';
import type { Outcome } from '../render/output.js';

const listRenderers = catalogRenderers(
  (r: { found: ScopeInfo[]; filter: { kind: string | null; product: string | null } }) => render.listDoc(r.found, r.filter),
  (r, o) => render.renderList(r.found, o),
);
const searchRenderers = catalogRenderers(
  (r: { query: string; hits: SearchHit[] }) => render.searchDoc(r.query, r.hits),
  (r, o) => render.renderSearch(r.hits, o),
);
type Shown = { scope: ScopeInfo; catalog: Catalog; show: { appType: AppType | null; appKey: string | null } };
const showRenderers = catalogRenderers(
  (r: Shown, o) => render.showDoc(r.scope, r.catalog, r.show, o.lang),
  (r, o) => render.renderShow(r.scope, r.catalog, r.show, o),
);
const statsRenderers = catalogRenderers(
  (coverage: Coverage) => render.statsDoc(coverage),
  (coverage, o) => render.renderStats(coverage, o),
);

/** `scopes`: questions about scopes (list, search, show, stats); API lookups live in scopes-api.ts, scan in scan.ts. */
export function registerScopes(program: Command): void {
  const scopes = program.command('scopes').description('ask the offline scope catalog: list, search, show, for, stats, learned, scan');
  registerList(scopes);
  registerSearch(scopes);
  registerShow(scopes);
  registerScopesFor(scopes);
  registerStats(scopes);
  registerScopesLearned(scopes);
  registerScan(scopes);
  withExamples(scopes, [
    ['dingtalk-doctor scopes show Contact.User.Read', 'how to get one scope'],
    ['dingtalk-doctor scopes for GET /v1.0/contact/users/0123', 'which scope an API needs'],
    ['dingtalk-doctor scopes search 通讯录', 'find scopes by words'],
  ]);
}

function registerList(scopes: Command): void {
  const list = scopes
    .command('list')
    .description('list scopes, optionally by kind or product')
    .addOption(scopes.createOption('--kind <kind>', 'only this kind').choices(['standard', 'special', 'unknown']))
    .option('--product <product>', 'only scopes of this product (contact, calendar, …)')
    .action(
      action(listRenderers, async (_out, opts: { kind?: string; product?: string }) => {
        const filter = { kind: opts.kind ?? null, product: opts.product ?? null };
        const found = listScopes(getCatalog(), filter);
        if (!found.length && filter.product) {
          const near = knownProducts(getCatalog()).filter((p) => p.startsWith(filter.product!.slice(0, 3).toLowerCase()));
          throw uiError('err.scopes.no-product', { product: filter.product }, near.length ? { id: 'err.scopes.try', params: { list: near.slice(0, 6).join(', ') } } : 'err.scopes.no-product-hint');
        }
        return { result: { found, filter }, exit: 0 };
      }),
    );
  withExamples(list, [
    ['dingtalk-doctor scopes list --kind special', 'scopes that need a reviewed application'],
    ['dingtalk-doctor scopes list --product contact --format markdown', 'contacts scopes as a markdown table'],
  ]);
}

/** `scopes search`'s operands and options: commander's, and a plain command line's. */
const SEARCH: PlainCommand = {
  options: [{ flags: '--limit <n>', description: 'how many results', default: '10' }],
  args: [{ name: '<words...>', description: 'words to look for (case, dots and underscores do not matter)' }],
};

async function searchScopes(_out: Out, opts: { limit: string }, words: string[]): Promise<Outcome<{ query: string; hits: SearchHit[] }>> {
  const query = words.join(' ');
  const hits = getCatalog().search(query, Math.max(1, Number(opts.limit) || 10));
  if (!hits.length) throw uiError('ui.err.no-search-match', { query }, { id: 'ui.err.no-search-match-hint', params: {} });
  return { result: { query, hits }, exit: 0 };
}

function registerSearch(scopes: Command): void {
  const search = scopes.command('search').description('find scopes by words: codes, zh/en names, API paths and summaries');
  addOptions(addArguments(search, SEARCH.args), SEARCH.options).action(action(searchRenderers, searchScopes));
  withExamples(search, [
    ['dingtalk-doctor scopes search contact user read', 'ranked matches'],
    ['dingtalk-doctor scopes search 通讯录', 'by Chinese name'],
    ['dingtalk-doctor scopes search robot send --json', 'as JSON'],
  ]);
}

/** `scopes show`'s operand and options: commander's, and a plain command line's. */
const SHOW: PlainCommand = {
  options: [
    { flags: '--app-type <type>', description: 'only the steps for this app type', choices: ['internal', 'third-party-enterprise', 'third-party-personal'] },
    { flags: '--app-key <appKey>', description: 'your AppKey, for a direct apply link' },
  ],
  args: [{ name: '<scope>', description: 'scope code, e.g. Contact.User.Read or qyapi_get_member' }],
};

async function showScope(_out: Out, opts: { appType?: AppType; appKey?: string }, code: string): Promise<Outcome<Shown>> {
  const learned = loadLearnedFile();
  const catalog = getCatalog().withLearned(learned.entries, learned.scopeKinds);
  const scope = catalog.scope(code);
  if (!scope) {
    const near = catalog.suggest(code);
    throw uiError('ui.err.unknown-scope', { code }, near.length ? { id: 'ui.err.did-you-mean', params: { list: near.join(', ') } } : { id: 'ui.err.try-search', params: {} });
  }
  return { result: { scope, catalog, show: { appType: opts.appType ?? null, appKey: opts.appKey ?? null } }, exit: 0 };
}

function registerShow(scopes: Command): void {
  const show = scopes.command('show').description('one scope: names, kind, how to request it per app type, the APIs that need it, links');
  addOptions(addArguments(show, SHOW.args), SHOW.options).action(action(showRenderers, showScope));
  withExamples(show, [
    ['dingtalk-doctor scopes show Contact.User.Read', 'how to get it and which APIs need it'],
    ['dingtalk-doctor scopes show qyapi_manage_addresslist --lang zh', 'a sensitive scope, in Chinese'],
    ['dingtalk-doctor scopes show Calendar.Event.Write --app-key dingxxxx', 'with a direct apply link'],
  ]);
}

/**
 * `scopes show|search|for <words>` run without commander when the words are plain
 * (commands/plain-args.ts): the exit code, or undefined for a line commander is to read.
 */
export function runPlain(words: readonly string[]): Promise<number | undefined> {
  const [sub, ...rest] = words;
  if (sub === 'show') return runPlainCommand(rest, SHOW, 'scopes show', showRenderers, showScope);
  if (sub === 'search') return runPlainCommand(rest, SEARCH, 'scopes search', searchRenderers, searchScopes);
  if (sub === 'for') return runPlainCommand(rest, SCOPES_FOR, 'scopes for', forRenderers, scopesFor);
  return Promise.resolve(undefined);
}

/** The specs of the plain `scopes` questions, for test/plain-args.test.ts. */
export const PLAIN_SCOPES = { show: SHOW, search: SEARCH, for: SCOPES_FOR } as const;

function registerStats(scopes: Command): void {
  const stats = scopes
    .command('stats')
    .description('how complete the catalog is (coverage report of the generator)')
    .action(
      action(statsRenderers, async () => {
        const coverage = getCatalog().meta().coverage;
        if (!coverage) throw uiError('err.scopes.no-coverage', {}, 'err.scopes.no-coverage-hint');
        return { result: coverage, exit: 0 };
      }),
    );
  withExamples(stats, [['dingtalk-doctor scopes stats --json', 'coverage numbers as JSON']]);
}
