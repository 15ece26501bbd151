// The second research pass over public sources, ../shared/catalog/supplement/*.tsv (its README
// describes each file), merged into the catalog by scripts/build-catalog.mjs. Every fact keeps its
// source, prefixed with the file it came from; a fact from a low-confidence source (a third-party
// file whose repository was not resolved, "unverified", "third-party only") is labelled so and never
// changes what the advice tells the user to do.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const FILES = ['scope-kinds', 'scope-constraints', 'scope-names-en', 'scope-access-types', 'api-scope-names-only', 'api-scope-additions', 'new-scopes'];

/** A TSV file with a header row → one object per row (also the seed files' reader, scripts/build-catalog.mjs). */
export function readTsv(file) {
  const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '');
  const header = lines.shift().split('\t');
  return lines.map((line) => {
    const cells = line.split('\t');
    return Object.fromEntries(header.map((h, i) => [h, (cells[i] ?? '').trim()]));
  });
}

/** The supplement rows by file name; a missing file is empty (the directory is optional). */
export function readSupplement(shared) {
  const dir = join(shared, 'supplement');
  return Object.fromEntries(FILES.map((name) => [name, existsSync(join(dir, `${name}.tsv`)) ? readTsv(join(dir, `${name}.tsv`)) : []]));
}

/** shared/catalog/README.md: "GH file id N (repo not resolved)" sources are low confidence; so are rows their notes call unverified. */
export const lowConfidence = (row) => /^GH file id/.test(row.source ?? '') || /unverified|unconfirmed|third-party only|low confidence/i.test(`${row.note ?? ''} ${row.source ?? ''}`);

const cite = (file, row) => `supplement/${file}.tsv: ${row.source}${lowConfidence(row) ? ' (low confidence)' : ''}`;

/** `暂不支持新增申请` and its variants: DingTalk accepts no new applications for the API's permission. */
const CLOSED = /不支持新增申请/;

/**
 * API facts: scope pairs (confident ones join the API's scopes; others stay notes), and for SDK
 * operations with no scope code the official Chinese permission name or the status the page prints.
 * `find(method, host, path)` returns the catalog's APIs for a row.
 */
export function applyApiSupplement(supplement, find) {
  const stats = { scopesAdded: 0, nameOnly: 0, closed: 0, nameMatch: 0, unmatched: 0 };
  const noteOf = (api) => (api.permission ??= {});
  for (const row of supplement['api-scope-additions']) {
    const hits = find(row.method, row.host, row.path);
    if (!hits.length) stats.unmatched++;
    for (const api of hits) {
      if (lowConfidence(row)) (noteOf(api).unconfirmedScopes ??= []).push(row.scope);
      else if (!api.scopes.has(row.scope) && !api.archivedScopes.has(row.scope)) {
        api.scopes.add(row.scope);
        stats.scopesAdded++;
      }
      api.sources.add(`scope ${row.scope}: ${cite('api-scope-additions', row)}`);
    }
  }
  for (const row of supplement['api-scope-names-only']) {
    const hits = find(row.method, row.host, row.path);
    if (!hits.length) stats.unmatched++;
    for (const api of hits) {
      const note = noteOf(api);
      if (row.permission_name_zh) note.zh = row.permission_name_zh;
      if (CLOSED.test(row.notice)) note.closed = true;
      else if (/无需申请/.test(row.notice)) note.noRequest = true;
      // An inference from an exact unique name match, not a printed code: kept apart from `scopes`.
      if (row.scope_by_unique_name_match) note.nameMatch = row.scope_by_unique_name_match;
      api.sources.add(`permission: ${cite('api-scope-names-only', row)}`);
    }
    if (hits.length) {
      if (row.permission_name_zh) stats.nameOnly++;
      if (CLOSED.test(row.notice)) stats.closed++;
      if (row.scope_by_unique_name_match) stats.nameMatch++;
    }
  }
  return stats;
}

/**
 * Scope facts: codes the seed lacks (with their confidence), sensitive and special kinds, edition
 * gates, "no new applications", delegated/application access, official English names.
 * `scopes` is the build's Map code → { code, zh, en, kind, sources:Set, sensitive, notes? }.
 */
export function applyScopeSupplement(supplement, scopes) {
  const stats = { newScopes: 0, kinds: 0, constraints: 0, access: 0, namesEn: 0 };
  const notesOf = (s) => (s.notes ??= {});
  for (const row of supplement['new-scopes']) {
    if (scopes.has(row.scope)) {
      scopes.get(row.scope).sources.add(cite('new-scopes', row));
      if (row.name_zh && !scopes.get(row.scope).zh) scopes.get(row.scope).zh = row.name_zh;
      continue;
    }
    scopes.set(row.scope, { code: row.scope, zh: row.name_zh || null, en: null, kind: 'unknown', sources: new Set([`${cite('new-scopes', row)}${row.note ? ` — ${row.note}` : ''}`]), sensitive: false });
    if (lowConfidence(row)) notesOf(scopes.get(row.scope)).confidence = 'low';
    stats.newScopes++;
  }
  for (const row of supplement['scope-kinds']) {
    const s = scopes.get(row.scope);
    if (!s) continue;
    s.sources.add(`kind ${row.kind}: ${cite('scope-kinds', row)}`);
    if (lowConfidence(row)) {
      notesOf(s).unconfirmedKind = row.kind; // labelled, not acted on
      continue;
    }
    if (row.kind === 'sensitive' && !s.sensitive) {
      s.sensitive = true;
      stats.kinds++;
    } else if (row.kind === 'special' && s.kind !== 'special') {
      s.kind = 'special';
      stats.kinds++;
    }
    // 需先申请注册为…应用: registration through DingTalk support comes before the request.
    if (/申请注册|via DingTalk support/.test(row.evidence_quote)) notesOf(s).registerFirst = true;
  }
  for (const row of supplement['scope-constraints']) {
    const s = scopes.get(row.scope);
    if (!s) continue;
    const edition = /^edition:\s*(.+)$/.exec(row.constraint)?.[1];
    if (edition) notesOf(s).edition = edition;
    else if (/no new applications/.test(row.constraint)) notesOf(s).closed = true;
    s.sources.add(`${edition ? 'edition' : 'applications'}: ${cite('scope-constraints', row)}`);
    stats.constraints++;
  }
  // Custom.* is 专属钉钉 only as a family (shared/catalog/README.md): the codes of the family the rows do not list get it too.
  const family = supplement['scope-constraints'].find((r) => r.scope.startsWith('Custom.') && r.constraint === 'edition: 专属钉钉');
  if (family) {
    for (const s of scopes.values()) {
      if (s.code.startsWith('Custom.') && !s.notes?.edition) {
        notesOf(s).edition = '专属钉钉';
        s.sources.add(`edition: ${cite('scope-constraints', family)} (the Custom.* family)`);
        stats.constraints++;
      }
    }
  }
  for (const row of supplement['scope-access-types']) {
    const s = scopes.get(row.scope);
    if (!s || !['delegated', 'application', 'field'].includes(row.access_type)) continue;
    notesOf(s).access = row.access_type;
    s.sources.add(`access ${row.access_type}: ${cite('scope-access-types', row)}`);
    stats.access++;
  }
  const seenEn = new Set();
  for (const row of supplement['scope-names-en']) {
    const s = scopes.get(row.scope);
    if (!s || seenEn.has(row.scope)) continue; // several pages word one scope differently: the first is taken
    seenEn.add(row.scope);
    if (s.en) continue; // the seed's official name stays
    s.en = row.name_en;
    s.enOfficial = true;
    s.sources.add(`name.en: ${cite('scope-names-en', row)}`);
    stats.namesEn++;
  }
  return stats;
}
