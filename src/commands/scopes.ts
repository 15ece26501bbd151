import { Option, type Command } from 'commander';
import { getCatalog } from '../catalog/index.js';
import { knownProducts, listScopes } from '../catalog/resolve.js';
import { loadLearned } from '../config/learned.js';
import type { AppType } from '../core/types.js';
import { usageError } from '../errors.js';
import * as render from '../render/scopes.js';
import { registerScan } from './scan.js';
import { emit, registerScopesFor, registerScopesLearned } from './scopes-api.js';
import { action, withExamples } from './shared.js';

/** `scopes`: questions about scopes (list, search, show, stats); API lookups live in scopes-api.ts, scan in scan.ts. */
export function registerScopes(program: Command): void {
  const scopes = program.command('scopes').description('ask the offline scope catalog: list, search, show, for, stats, learned, scan');

  const list = scopes
    .command('list')
    .description('list scopes, optionally by kind or product')
    .addOption(new Option('--kind <kind>', 'only this kind').choices(['standard', 'special', 'unknown']))
    .option('--product <product>', 'only scopes of this product (contact, calendar, …)')
    .action(
      action(async (out, opts) => {
        const filter = { kind: (opts.kind as string | undefined) ?? null, product: (opts.product as string | undefined) ?? null };
        const found = listScopes(getCatalog(), filter);
        if (!found.length && filter.product) {
          const near = knownProducts(getCatalog()).filter((p) => p.startsWith(filter.product!.slice(0, 3).toLowerCase()));
          throw usageError(`no scope belongs to product "${filter.product}"`, near.length ? `try: ${near.slice(0, 6).join(', ')}` : 'run `scopes list` without --product');
        }
        emit(out, render.listDoc(found, filter), () => render.renderList(found, out.opts));
        return 0;
      }),
    );
  withExamples(list, [
    ['dingtalk-doctor scopes list --kind special', 'scopes that need a reviewed application'],
    ['dingtalk-doctor scopes list --product contact --format markdown', 'contacts scopes as a markdown table'],
  ]);

  const search = scopes
    .command('search')
    .description('find scopes by words: codes, zh/en names, API paths and summaries')
    .argument('<words...>', 'words to look for (case, dots and underscores do not matter)')
    .option('--limit <n>', 'how many results', '10')
    .action(
      action(async (out, opts, words: string[]) => {
        const query = words.join(' ');
        const hits = getCatalog().search(query, Math.max(1, Number(opts.limit) || 10));
        if (!hits.length) throw usageError(`no scope matches "${query}"`, 'try fewer or shorter words, e.g. `scopes search contact user` or `scopes search 通讯录`');
        emit(out, render.searchDoc(query, hits), () => render.renderSearch(hits, out.opts));
        return 0;
      }),
    );
  withExamples(search, [
    ['dingtalk-doctor scopes search contact user read', 'ranked matches'],
    ['dingtalk-doctor scopes search 通讯录', 'by Chinese name'],
    ['dingtalk-doctor scopes search robot send --json', 'as JSON'],
  ]);

  const show = scopes
    .command('show')
    .description('one scope: names, kind, how to request it per app type, the APIs that need it, links')
    .argument('<scope>', 'scope code, e.g. Contact.User.Read or qyapi_get_member')
    .addOption(new Option('--app-type <type>', 'only the steps for this app type').choices(['internal', 'third-party-enterprise', 'third-party-personal']))
    .option('--app-key <appKey>', 'your AppKey, for a direct apply link')
    .action(
      action(async (out, opts, code: string) => {
        const catalog = getCatalog().withLearned(loadLearned());
        const scope = catalog.scope(code);
        if (!scope) {
          const near = catalog.suggest(code);
          throw usageError(`unknown scope "${code}"`, near.length ? `did you mean: ${near.join(', ')}?` : 'try `scopes search <words>`');
        }
        const showOpts = { appType: (opts.appType as AppType | undefined) ?? null, appKey: (opts.appKey as string | undefined) ?? null };
        emit(out, render.showDoc(scope, catalog, showOpts, out.opts.lang), () => render.renderShow(scope, catalog, showOpts, out.opts));
        return 0;
      }),
    );
  withExamples(show, [
    ['dingtalk-doctor scopes show Contact.User.Read', 'how to get it and which APIs need it'],
    ['dingtalk-doctor scopes show qyapi_manage_addresslist --lang zh', 'a sensitive scope, in Chinese'],
    ['dingtalk-doctor scopes show Calendar.Event.Write --app-key dingxxxx', 'with a direct apply link'],
  ]);

  registerScopesFor(scopes);

  const stats = scopes
    .command('stats')
    .description('how complete the catalog is (coverage report of the generator)')
    .action(
      action(async (out) => {
        const coverage = getCatalog().meta().coverage;
        if (!coverage) throw usageError('the bundled catalog has no coverage report', 'regenerate it with `npm run catalog`');
        emit(out, render.statsDoc(coverage), () => render.renderStats(coverage, out.opts));
        return 0;
      }),
    );
  withExamples(stats, [['dingtalk-doctor scopes stats --json', 'coverage numbers as JSON']]);

  registerScopesLearned(scopes);
  registerScan(scopes);
  withExamples(scopes, [
    ['dingtalk-doctor scopes show Contact.User.Read', 'how to get one scope'],
    ['dingtalk-doctor scopes for GET /v1.0/contact/users/0123', 'which scope an API needs'],
    ['dingtalk-doctor scopes search 通讯录', 'find scopes by words'],
  ]);
}
