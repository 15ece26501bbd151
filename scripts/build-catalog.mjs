#!/usr/bin/env node
// Regenerates the offline scope catalog (src/data/apis.json, scopes.json, errors.json) from
//   (a) the official SDK installed as a devDependency: node_modules/@alicloud/dingtalk/dist/*/client.js
//       (every `*WithOptions` method declares action, version, pathname, method, authType), and
//   (b) the seed data in ../shared/catalog/*.tsv (docs-apis.tsv, apis.tsv, scopes.tsv, errors.tsv;
//       its README says how each file was assembled), and
//   (c) its supplement/*.tsv (a second research pass), merged by scripts/catalog-supplement.mjs.
// Facts only: a scope, a kind or an app type is written only when a source says so, and every fact
// keeps its source. Output is deterministic (sorted, stable) so `--check` and a test can compare it.
//
//   node scripts/build-catalog.mjs [--shared <dir>] [--check] [--quiet]
//     --check   exit 1 when the committed src/data/*.json differ from what would be generated
import { existsSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SCOPE_NAMES_EN } from './catalog-extra.mjs';
import { applyApiSupplement, applyScopeSupplement, readSupplement, readTsv } from './catalog-supplement.mjs';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DATA_FILES = ['apis.json', 'scopes.json', 'errors.json'];

const API_HOST = 'api.dingtalk.com';
const OAPI_HOST = 'oapi.dingtalk.com';
const SENSITIVE_PAGE = 'use-sensitive-permissions';
// Granted to every app of the matching type by default (official names say 基本权限 and the shared
// README lists them as default grants). qyapi_ai_base (钉钉AI平台基础权限包) and Carbon.Common.Read
// (调用企业API基础权限) are also called 基础 but no source says they come without a request: not base.
const BASE_SCOPES = new Set(['qyapi_base', 'isvapi_base', 'open_app_api_base', 'snsapi_base']);
const APP_TYPES = [
  ['第三方企业应用', 'third-party-enterprise'],
  ['第三方个人应用', 'third-party-personal'],
  ['企业内部应用', 'internal'], // also 企业内部应用（委托产品服务商/方案商）
];

// ---------------------------------------------------------------- inputs


function sdkInfo(root) {
  const dir = join(root, 'node_modules', '@alicloud', 'dingtalk');
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  return { dir: join(dir, 'dist'), version: pkg.version };
}

/** Every `*WithOptions` operation of the SDK: product, action, SDK method, HTTP method, path template, summary. */
export function readSdkOperations(root = ROOT) {
  const { dir, version } = sdkInfo(root);
  const ops = [];
  const modules = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(dir, e.name, 'client.js')))
    .map((e) => e.name)
    .sort();
  const method = /(?:\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*)?async (\w+)WithOptions\([^)]*\)\s*\{([\s\S]*?)\n {4}\}/g;
  for (const module of modules) {
    const text = readFileSync(join(dir, module, 'client.js'), 'utf8');
    for (const m of text.matchAll(method)) {
      const [, comment = '', name, body] = m;
      const field = (key) => body.match(new RegExp(`\\b${key}: "([^"]*)"`))?.[1] ?? null;
      const pathname = body.match(/\bpathname: `([^`]*)`/)?.[1];
      if (!pathname) continue;
      const summary = comment
        .split('\n')
        .map((l) => l.replace(/^\s*\*\s?/, '').trim())
        .find((l) => l !== '' && !l.startsWith('@'));
      ops.push({
        module,
        product: field('version'),
        action: field('action'),
        sdkMethod: name,
        method: field('method'),
        authType: field('authType'),
        path: pathname.trim().replace(/\$\{(\w+)\}/g, '{$1}'),
        summary: summary ?? null,
        source: `npm:@alicloud/dingtalk@${version} dist/${module}/client.js`,
      });
    }
  }
  return { ops, version, modules: modules.length };
}

// ---------------------------------------------------------------- helpers

/** Path key for joining: placeholders as `{}`, no trailing slash, lower case (the docs' case varies). */
function pathKey(path) {
  return path.trim().replace(/\{[^}]*\}/g, '{}').replace(/\/+/g, '/').replace(/(.)\/$/, '$1').toLowerCase();
}
const splitList = (s, sep) => (s ? s.split(sep).map((x) => x.trim()).filter(Boolean) : []);
const uniqSorted = (xs) => [...new Set(xs)].sort();
const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
const push = (map, key, v) => (map.get(key) ?? map.set(key, []).get(key)).push(v);

function appTypesOf(text) {
  const types = new Set();
  for (const part of splitList(text, ',')) {
    const hit = APP_TYPES.find(([zh]) => part.startsWith(zh));
    if (hit) types.add(hit[1]);
  }
  return [...types].sort();
}

/** "Contact.User.Read" → "Contacts: user read"; "qyapi_get_department_list" → "get department list". */
export function englishNameFromCode(code) {
  // Acronyms and the brand keep their spelling whatever the code's case (Crm, crm → CRM; dingtalk → DingTalk).
  const canon = new Map(['AI', 'OA', 'HR', 'CRM', 'ISV', 'SNS', 'IM', 'OKR', 'ID', 'AIoT', 'PaaS', 'SaaS', 'OAuth', 'SSO', 'API', 'ERP', 'DingTalk'].map((w) => [w.toLowerCase(), w]));
  const spell = (w, fallback) => canon.get(w.toLowerCase()) ?? fallback;
  const words = (s) => (s.match(/PaaS|SaaS|AIoT|OAuth|[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+/g) ?? []).map((w) => spell(w, w.toLowerCase()));
  if (/^[A-Z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)+$/.test(code)) {
    const [product, ...rest] = code.split('.');
    const productName = { Contact: 'Contacts' }[product] ?? (product.match(/PaaS|SaaS|AIoT|[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+/g) ?? [product]).map((w) => spell(w, w)).join(' ');
    const tail = rest.flatMap(words);
    return `${productName}: ${tail.join(' ')}`;
  }
  // Legacy codes: prefix says which API family; the rest are plain English words.
  const legacy = code.match(/^(qyapi|isvapi|snsapi|open_app_api)_([a-z0-9_]+)$/);
  if (legacy) {
    const expand = { msg: 'message', sendmsg: 'send message', addresslist: 'address list', isv: 'ISV', ai: 'AI', sns: 'SNS' };
    const family = { qyapi: 'Org API', isvapi: 'ISV API', snsapi: 'SNS API', open_app_api: 'Open app API' }[legacy[1]];
    return `${family}: ${legacy[2].split('_').map((w) => expand[w] ?? spell(w, w)).join(' ')}`;
  }
  return null;
}

// Read-only by name: GET, or a POST whose action/path/summary only says query/list/get/search.
const QUERY_VERBS = new Set(['query', 'list', 'get', 'search', 'batchget', 'count', 'check', 'stat', 'statistics', 'detail', 'info', 'exist', 'exists']);
const WRITE_VERBS = new Set(['create', 'update', 'delete', 'del', 'remove', 'add', 'insert', 'send', 'save', 'set', 'modify', 'cancel',
  'revoke', 'push', 'upload', 'submit', 'approve', 'execute', 'invoke', 'start', 'stop', 'close', 'open', 'bind', 'unbind', 'sync',
  'register', 'import', 'transfer', 'reply', 'recall', 'move', 'copy', 'edit', 'write', 'grant', 'apply', 'publish', 'finish',
  'terminate', 'reject', 'init', 'mark', 'sort', 'change', 'edit', 'handle', 'process', 'pay', 'refund', 'notify', 'deliver',
  'batchadd', 'batchdelete', 'batchupdate', 'batchsend', 'batchremove', 'batchcreate', 'upsert', 'clear', 'reset', 'enable', 'disable']);
const ZH_QUERY = /查询|获取|搜索|列表|统计/;
const ZH_WRITE = /新增|创建|删除|更新|修改|发送|上传|提交|撤销|取消|保存|设置|写入|推送|添加|移除|同意|拒绝|开启|关闭|发起|执行|审批|转交|绑定|解绑|注册|导入|发布/;
const wordsOf = (s) =>
  s
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);

function probeSafety(api) {
  if (api.authType === 'Anonymous') return null; // token endpoints need no scope
  if (!api.method) return null;
  if (api.method === 'GET') return 2;
  if (api.method !== 'POST') return null;
  const words = [...wordsOf(api.action ?? ''), ...wordsOf(api.path.replace(/^\/(v\d\.\d|topapi)\//, '/'))];
  const summary = api.summary ?? '';
  if (words.some((w) => WRITE_VERBS.has(w)) || ZH_WRITE.test(summary)) return null;
  return words.some((w) => QUERY_VERBS.has(w)) || ZH_QUERY.test(summary) ? 1 : null;
}

function dummyPath(path) {
  return path.replace(/\{(\w*)\}/g, (_, name) => (/(id|ids|code|key|no)$/i.test(name) ? '0' : 'dummy'));
}

// ---------------------------------------------------------------- the join

/** The APIs: every SDK operation, joined with the doc rows and the earlier apis.tsv run. */
function buildApis(ops, docs, seedApis) {
  /** @type {Map<string, any>} */
  const apis = new Map();
  const byKey = new Map(); // host|METHOD|pathKey → [api]
  const byPath = new Map(); // host|pathKey → [api]
  const index = (api) => {
    push(byKey, `${api.host}|${api.method ?? ''}|${pathKey(api.path)}`, api);
    push(byPath, `${api.host}|${pathKey(api.path)}`, api);
  };
  const find = (method, host, path) => (method ? byKey.get(`${host}|${method}|${pathKey(path)}`) : byPath.get(`${host}|${pathKey(path)}`)) ?? [];

  for (const op of ops) {
    const id = `${op.product}/${op.action}`;
    if (apis.has(id)) continue; // the SDK declares each action once per product
    const api = {
      id, method: op.method, host: API_HOST, path: op.path, product: op.product, action: op.action,
      sdkMethod: op.sdkMethod, summary: op.summary, authType: op.authType,
      scopes: new Set(), archivedScopes: new Set(), appTypes: new Set(), sources: new Set([op.source]), docs: 0,
    };
    apis.set(id, api);
    index(api);
  }
  const docOnly = joinDocs(docs, { apis, find, index });
  const seedExtra = joinSeedApis(seedApis, find);
  return { apis, find, docOnly, seedExtra };
}

/**
 * Doc rows: join on host + path (placeholders as {}) + method, or path alone when the doc gave no
 * method. Doc paths printed without the /v1.0 prefix are tried with it. Returns the number of
 * documented endpoints the SDK lacks (added as APIs of their own).
 */
function joinDocs(docs, { apis, find, index }) {
  let docOnly = 0;
  const docCandidates = (row) => {
    const host = row.host || (row.path.startsWith('/v1.0/') || row.path.startsWith('/v2.0/') ? API_HOST : OAPI_HOST);
    const paths = [row.path];
    if (host === API_HOST && !/^\/v\d\.\d\//.test(row.path)) paths.push(`/v1.0${row.path}`);
    for (const path of paths) {
      const hits = find(row.method, host, path);
      if (hits.length) return { host, path, hits };
    }
    return { host, path: row.path, hits: [] };
  };
  // Rows with a method first, so that a method-less mention of the same path joins them. Among
  // method-less rows, archived ones (old API reference pages, titled after the API) come before the
  // rest, which are mostly guides mentioning a path: /user/get is "查询用户详情", not "服务端SDK下载".
  const methodless = docs.filter((r) => !r.method);
  const docsInOrder = [...docs.filter((r) => r.method), ...methodless.filter((r) => r.archived === 'archived'), ...methodless.filter((r) => r.archived !== 'archived')];
  for (const row of docsInOrder) {
    let { host, path, hits } = docCandidates(row);
    if (!hits.length) {
      // Documented endpoint the SDK lacks (legacy oapi, or a new API missing from the SDK).
      const method = row.method || null;
      const id = `${host === OAPI_HOST ? 'oapi' : 'api'}:${method ?? '*'} ${path}`;
      let api = apis.get(id);
      if (!api) {
        api = {
          id, method, host, path, product: null, action: null, sdkMethod: null, summary: null, authType: null,
          scopes: new Set(), archivedScopes: new Set(), appTypes: new Set(), sources: new Set(), docs: 0,
        };
        apis.set(id, api);
        index(api);
        docOnly++;
      }
      hits = [api];
    }
    const archived = row.archived === 'archived';
    for (const api of hits) {
      api.docs++;
      for (const s of splitList(row.scope, ',')) (archived ? api.archivedScopes : api.scopes).add(s);
      for (const t of appTypesOf(row.app_types)) api.appTypes.add(t);
      api.sources.add(`docs: ${row.source_url}${archived ? ' (archived)' : ''}`);
      if (!api.summary && row.title_zh) api.summary = archived ? `${row.title_zh} (archived doc)` : row.title_zh;
      api.current = api.current || !archived;
    }
  }
  return docOnly;
}

/** apis.tsv is an earlier run of the same join (plus pages the docs table lacks): any scope it names that the join did not reproduce, with its source. */
function joinSeedApis(seedApis, find) {
  let seedExtra = 0;
  for (const row of seedApis) {
    const scopes = splitList(row.scope, ';');
    if (!scopes.length) continue;
    for (const api of find(row.method, row.host, row.path)) {
      for (const s of scopes) {
        if (api.scopes.has(s) || api.archivedScopes.has(s)) continue;
        api.scopes.add(s);
        seedExtra++;
        const url = row.source.split(' | ')[1];
        api.sources.add(url ? `docs: ${url}` : 'shared/catalog/apis.tsv');
      }
    }
  }
  return seedExtra;
}

/** Current pages win; archived pages only speak when no current page names a scope. */
const finishApis = (apis) =>
  [...apis.values()]
    .map((api) => ({
      ...api,
      scopes: [...(api.scopes.size ? api.scopes : api.archivedScopes)].sort(),
      appTypes: [...api.appTypes].sort(),
      sources: [...api.sources].sort(),
      permission: api.permission ? { ...api.permission, ...(api.permission.unconfirmedScopes ? { unconfirmedScopes: uniqSorted(api.permission.unconfirmedScopes) } : {}) } : null,
    }))
    .sort((a, b) => cmp(a.host, b.host) || cmp(a.path, b.path) || cmp(a.method ?? '', b.method ?? '') || cmp(a.id, b.id));

/** The seed's scopes, every scope an API names, then the supplement's facts (applied by the caller). */
function collectScopes(seedScopes, apiRows) {
  const scopes = new Map();
  for (const row of seedScopes) {
    scopes.set(row.scope, {
      code: row.scope,
      zh: row.name_zh || null,
      en: row.name_en || null,
      kind: ['standard', 'special', 'unknown'].includes(row.kind) ? row.kind : 'unknown',
      sources: new Set([`shared/catalog/scopes.tsv: ${row.source}`]),
      sensitive: row.source.includes(SENSITIVE_PAGE),
    });
  }
  for (const api of apiRows) {
    for (const code of api.scopes) {
      if (!scopes.has(code)) {
        scopes.set(code, { code, zh: null, en: null, kind: 'unknown', sources: new Set(), sensitive: false });
      }
      const docUrl = api.sources.find((s) => s.startsWith('docs: '));
      if (docUrl && scopes.get(code).sources.size < 4) scopes.get(code).sources.add(docUrl);
    }
  }
  return scopes;
}

function scopeRowsOf(scopes, apiRows) {
  const apisOfScope = new Map();
  for (const api of apiRows) for (const code of api.scopes) push(apisOfScope, code, api);
  return [...scopes.values()]
    .sort((a, b) => cmp(a.code, b.code))
    .map((s) => {
      const needed = apisOfScope.get(s.code) ?? [];
      let en = s.en;
      const sources = [...s.sources].sort();
      const official = SCOPE_NAMES_EN.find((x) => x.code === s.code);
      if (!en && official) {
        en = official.en;
        sources.push(`name.en: ${official.source}`);
      }
      if (!en) {
        en = englishNameFromCode(s.code);
        if (en) sources.push('name.en derived from the code');
      }
      return {
        code: s.code,
        zh: s.zh,
        en,
        kind: s.kind,
        base: BASE_SCOPES.has(s.code),
        sensitive: s.sensitive,
        apis: needed.map((a) => a.id).sort(),
        probe: pickProbe(needed, s.code),
        sources,
        notes: s.notes ? Object.fromEntries(Object.entries(s.notes).sort(([a], [b]) => cmp(a, b))) : null,
      };
    });
}

/**
 * DingTalk's error table. The legacy (oapi) part has no HTTP status column: its rows start with the
 * numeric errcode (`60011  没有调用该接口的权限  <explanation>`), so the columns are shifted by one.
 * Legacy errors travel in HTTP 200 bodies; the status is left empty rather than guessed.
 */
function buildErrors(seedErrors) {
  const urls = uniqSorted(seedErrors.map((e) => e.source_url).filter(Boolean));
  const isHttpStatus = (v) => /^[1-5]\d\d(\/[1-5]\d\d)*$/.test(v ?? '');
  const rows = seedErrors
    .map((e) =>
      isHttpStatus(e.http_code)
        ? [e.http_code, e.error_code, e.message, e.explanation, urls.indexOf(e.source_url)]
        : ['', e.http_code, e.error_code, e.message, urls.indexOf(e.source_url)],
    )
    .filter((row) => row[1]);
  // Sorted by lower-cased code and written one row per line: src/catalog binary-searches the lines.
  rows.sort((a, b) => cmp(a[1].toLowerCase(), b[1].toLowerCase()) || cmp(a[0], b[0]) || cmp(a[2], b[2]) || cmp(a[3], b[3]));
  return { urls, rows };
}

function coverageOf({ version, modules, docs, apiRows, scopeRows, errorRows, docOnly, seedExtra, supplement }) {
  const sdkApis = apiRows.filter((a) => a.product);
  const docUrls = new Set(apiRows.flatMap((a) => a.sources.filter((s) => s.startsWith('docs: ')).map((s) => s.replace(/ \(archived\)$/, ''))));
  const derivedEn = scopeRows.filter((s) => s.sources.includes('name.en derived from the code')).length;
  return {
    sdk: `@alicloud/dingtalk@${version}`,
    sdkModules: modules,
    documentedApis: { inCatalog: docs.filter((r) => docUrls.has(`docs: ${r.source_url}`)).length, total: docs.length },
    sdkOperations: { withScope: sdkApis.filter((a) => a.scopes.length).length, total: sdkApis.length },
    apis: {
      total: apiRows.length,
      withScope: apiRows.filter((a) => a.scopes.length).length,
      legacy: apiRows.filter((a) => a.host === OAPI_HOST).length,
      docOnly,
      // supplement: SDK operations without a code that have the official permission name, or a status instead
      nameOnly: apiRows.filter((a) => !a.scopes.length && a.permission?.zh).length,
      closed: apiRows.filter((a) => a.permission?.closed).length,
      nameMatch: apiRows.filter((a) => a.permission?.nameMatch).length,
    },
    scopes: {
      total: scopeRows.length,
      withKind: scopeRows.filter((s) => s.kind !== 'unknown').length,
      withProbe: scopeRows.filter((s) => s.probe).length,
      withApis: scopeRows.filter((s) => s.apis.length).length,
      base: scopeRows.filter((s) => s.base).length,
      sensitive: scopeRows.filter((s) => s.sensitive).length,
      nameEn: { sourced: scopeRows.filter((s) => s.en).length - derivedEn, derived: derivedEn },
      edition: scopeRows.filter((s) => s.notes?.edition).length,
      access: scopeRows.filter((s) => s.notes?.access).length,
      lowConfidence: scopeRows.filter((s) => s.notes?.confidence === 'low').length,
    },
    errors: errorRows.length,
    scopesOnlyFromApisTsv: seedExtra,
    supplement,
  };
}

function writeTables(version, { apiRows, scopeRows, errors, report }) {
  const meta = { generatedBy: 'scripts/build-catalog.mjs', sdk: `@alicloud/dingtalk@${version}` };
  const table = (extra, fields, rows) =>
    `{${Object.entries({ ...meta, ...extra }).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')},"fields":${JSON.stringify(fields)},"rows":[\n${rows.map((r) => JSON.stringify(r)).join(',\n')}\n]}\n`;
  return {
    'apis.json': table(
      {},
      ['id', 'method', 'host', 'path', 'product', 'action', 'sdkMethod', 'summary', 'scopes', 'appTypes', 'sources', 'permission'],
      apiRows.map((a) => [a.id, a.method, a.host === API_HOST ? 'api' : 'oapi', a.path, a.product, a.action, a.sdkMethod, a.summary, a.scopes, a.appTypes, a.sources, a.permission]),
    ),
    'scopes.json': table(
      { coverage: report },
      ['code', 'zh', 'en', 'kind', 'base', 'sensitive', 'apis', 'probe', 'sources', 'notes'],
      scopeRows.map((s) => [s.code, s.zh, s.en, s.kind, s.base ? 1 : 0, s.sensitive ? 1 : 0, s.apis, s.probe, s.sources, s.notes]),
    ),
    'errors.json': table({ urls: errors.urls }, ['httpStatus', 'code', 'message', 'explanation', 'url'], errors.rows),
  };
}

export function generateCatalog({ root = ROOT, shared = resolve(root, '..', 'shared', 'catalog') } = {}) {
  const { ops, version, modules } = readSdkOperations(root);
  const docs = readTsv(join(shared, 'docs-apis.tsv'));
  const supplement = readSupplement(shared);
  const { apis, find, docOnly, seedExtra } = buildApis(ops, docs, readTsv(join(shared, 'apis.tsv')));
  const apiSupplement = applyApiSupplement(supplement, find);
  const apiRows = finishApis(apis);
  const scopes = collectScopes(readTsv(join(shared, 'scopes.tsv')), apiRows);
  const scopeSupplement = applyScopeSupplement(supplement, scopes);
  const scopeRows = scopeRowsOf(scopes, apiRows);
  const errors = buildErrors(readTsv(join(shared, 'errors.tsv')));
  const report = coverageOf({ version, modules, docs, apiRows, scopeRows, errorRows: errors.rows, docOnly, seedExtra, supplement: { ...apiSupplement, ...scopeSupplement } });
  return { files: writeTables(version, { apiRows, scopeRows, errors, report }), report };
}

function pickProbe(apis, code) {
  const ranked = apis
    .map((api) => ({ api, safety: probeSafety(api) }))
    .filter((x) => x.safety !== null)
    .sort(
      (a, b) =>
        (a.api.host === API_HOST ? 0 : 1) - (b.api.host === API_HOST ? 0 : 1) || // new API: 403 names the scope
        a.api.scopes.length - b.api.scopes.length || // a request that needs only this scope
        b.safety - a.safety ||
        (a.api.current ? 0 : 1) - (b.api.current ? 0 : 1) ||
        (a.api.path.match(/\{/g)?.length ?? 0) - (b.api.path.match(/\{/g)?.length ?? 0) ||
        cmp(a.api.path, b.api.path) ||
        cmp(a.api.id, b.api.id),
    );
  const best = ranked[0]?.api;
  if (!best) return null;
  const probe = { api: best.id, host: best.host, method: best.method, path: dummyPath(best.path) };
  if (best.method === 'POST') probe.body = {};
  void code;
  return probe;
}

export function formatReport(r) {
  const pct = (a, b) => `${a}/${b} (${b ? Math.round((a / b) * 1000) / 10 : 0}%)`;
  return [
    `catalog from ${r.sdk} (${r.sdkModules} modules) + shared/catalog`,
    `  documented APIs in catalog     ${pct(r.documentedApis.inCatalog, r.documentedApis.total)}`,
    `  SDK operations with a scope    ${pct(r.sdkOperations.withScope, r.sdkOperations.total)}`,
    `  APIs (all) with a scope        ${pct(r.apis.withScope, r.apis.total)}  (legacy oapi ${r.apis.legacy}, doc-only ${r.apis.docOnly})`,
    `  scopes with a known kind       ${pct(r.scopes.withKind, r.scopes.total)}`,
    `  scopes with a probe            ${pct(r.scopes.withProbe, r.scopes.total)}`,
    `  scopes with an API             ${pct(r.scopes.withApis, r.scopes.total)}  (base ${r.scopes.base}, sensitive ${r.scopes.sensitive})`,
    `  error codes                    ${r.errors}`,
  ].join('\n');
}

function main(argv) {
  const arg = (name) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const shared = arg('--shared') ? resolve(arg('--shared')) : resolve(ROOT, '..', 'shared', 'catalog');
  if (!existsSync(join(shared, 'docs-apis.tsv'))) {
    process.stderr.write(`build-catalog: no seed data at ${shared} (pass --shared <dir>)\n`);
    return 2;
  }
  const { files, report } = generateCatalog({ root: ROOT, shared });
  const dataDir = join(ROOT, 'src', 'data');
  if (argv.includes('--check')) {
    const stale = DATA_FILES.filter((f) => !existsSync(join(dataDir, f)) || readFileSync(join(dataDir, f), 'utf8') !== files[f]);
    if (stale.length) {
      process.stderr.write(`build-catalog: committed data differs from the generator: ${stale.join(', ')} (run npm run catalog)\n`);
      return 1;
    }
    if (!argv.includes('--quiet')) process.stdout.write(`${formatReport(report)}\ncatalog data is up to date\n`);
    return 0;
  }
  mkdirSync(dataDir, { recursive: true });
  for (const f of DATA_FILES) writeFileSync(join(dataDir, f), files[f]);
  if (!argv.includes('--quiet')) process.stdout.write(`${formatReport(report)}\n`);
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = main(process.argv.slice(2));
