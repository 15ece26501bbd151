/**
 * Observed API → scope pairs, recorded by `diagnose --learn` when an input shows both the failing
 * API and its `requiredScopes`, and scope kinds, recorded by `check` from dws's `requiredApproval`.
 * One small user-level file so the catalog grows where the docs are
 * silent: `$XDG_CONFIG_HOME/dingtalk-doctor/learned.json` (default `~/.config/dingtalk-doctor/learned.json`).
 *
 * Use: `getCatalog().withLearned(loadLearned())` gives a catalog whose lookups also return the
 * observed pairs, labelled `observed` (see Catalog.withLearned in src/catalog/types.ts); pass
 * `loadLearnedFile().scopeKinds` as its second argument for the kinds dws read.
 * `scopes learned` lists the file so it can be contributed back.
 */
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { LearnedEntry, LearnedKind } from '../catalog/index.js';
import { parseTarget } from '../catalog/paths.js';
import { uiError } from '../render/messages.js';
import { userConfigDir } from './paths.js';

export type { LearnedEntry, LearnedKind } from '../catalog/index.js';

export interface LearnedOptions {
  /** Environment to read XDG_CONFIG_HOME / HOME from (default process.env). */
  env?: Record<string, string | undefined>;
  /** Explicit file (tests, --learned-file). */
  file?: string;
}

interface LearnedFile {
  version: 1;
  entries: LearnedEntry[];
  /** Added by `check` with dws; absent in files written before (the version stays 1: older readers ignore it). */
  scopeKinds?: LearnedKind[];
}

/** Where the learned file lives. */
export function learnedPath(opts: LearnedOptions = {}): string {
  if (opts.file) return opts.file;
  return join(userConfigDir(opts.env ?? process.env), 'learned.json');
}

function validEntry(e: unknown): e is LearnedEntry {
  if (!e || typeof e !== 'object') return false;
  const x = e as Record<string, unknown>;
  return (
    (x.method === null || typeof x.method === 'string') &&
    typeof x.path === 'string' &&
    Array.isArray(x.scopes) &&
    x.scopes.every((s) => typeof s === 'string') &&
    typeof x.seenAt === 'string'
  );
}

function validKind(e: unknown): e is LearnedKind {
  if (!e || typeof e !== 'object') return false;
  const x = e as Record<string, unknown>;
  return typeof x.scope === 'string' && (x.kind === 'standard' || x.kind === 'special') && typeof x.requiredApproval === 'boolean' && x.source === 'dws' && typeof x.seenAt === 'string';
}

/** The whole file ({ entries: [], scopeKinds: [] } when there is none yet). A damaged file is a usage error (exit 2). */
export function loadLearnedFile(opts: LearnedOptions = {}): { entries: LearnedEntry[]; scopeKinds: LearnedKind[] } {
  const file = learnedPath(opts);
  let text: string;
  try {
    // no file yet (most runs): answered without the exception a failed read builds
    if (!statSync(file, { throwIfNoEntry: false })) return { entries: [], scopeKinds: [] };
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], scopeKinds: [] };
    throw uiError('err.learned.unreadable', { file, reason: (error as NodeJS.ErrnoException).code ?? (error as Error).message });
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw uiError('err.learned.bad-json', { file }, 'err.learned.bad-json-hint');
  }
  const { entries, scopeKinds } = (doc ?? {}) as Partial<LearnedFile>;
  if (!Array.isArray(entries)) throw uiError('err.learned.no-entries', { file }, 'err.learned.no-entries-hint');
  return { entries: entries.filter(validEntry), scopeKinds: Array.isArray(scopeKinds) ? scopeKinds.filter(validKind) : [] };
}

/** The recorded pairs; [] when there is no file yet. A damaged file is a usage error (exit 2). */
export function loadLearned(opts: LearnedOptions = {}): LearnedEntry[] {
  return loadLearnedFile(opts).entries;
}

function writeLearned(doc: LearnedFile, opts: LearnedOptions): void {
  const file = learnedPath(opts);
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(doc, null, 2)}\n`);
  renameSync(temp, file); // atomic: a concurrent reader never sees half a file
}

const byCode = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Records scope kinds (one per scope code, case-insensitively: the latest seen wins) and returns
 * them as stored. The file's API → scope pairs are kept as they are.
 */
export function recordLearnedKinds(kinds: readonly LearnedKind[], opts: LearnedOptions = {}): LearnedKind[] {
  const { entries, scopeKinds } = loadLearnedFile(opts);
  const byScope = new Map(scopeKinds.map((k) => [k.scope.toLowerCase(), k]));
  for (const k of kinds) {
    const known = byScope.get(k.scope.toLowerCase());
    if (!known || k.seenAt >= known.seenAt) byScope.set(k.scope.toLowerCase(), { ...k, name: k.name ?? known?.name ?? null });
  }
  const stored = [...byScope.values()].sort((a, b) => byCode(a.scope, b.scope));
  writeLearned({ version: 1, entries, scopeKinds: stored }, opts);
  return stored;
}

const keyOf = (e: LearnedEntry) => `${(e.method ?? '*').toUpperCase()} ${e.host ?? ''}${e.path}`;

/**
 * Records observed pairs (merged by method + host + path: scopes united, latest seenAt kept) and
 * returns the whole list as stored. `path` should be the catalog template when one matched; a
 * query string or full URL is reduced to host + path.
 */
export function recordLearned(input: LearnedEntry | LearnedEntry[], opts: LearnedOptions = {}): LearnedEntry[] {
  const { entries, scopeKinds } = loadLearnedFile(opts);
  const byKey = new Map(entries.map((e) => [keyOf(e), e]));
  for (const raw of Array.isArray(input) ? input : [input]) {
    const target = parseTarget(raw.host ? `${raw.host}/${raw.path.replace(/^\//, '')}` : raw.path);
    const scopes = [...new Set(raw.scopes.map((s) => s.trim()).filter(Boolean))];
    if (!scopes.length) continue;
    const entry: LearnedEntry = {
      method: raw.method ? raw.method.toUpperCase() : null,
      ...(target.host ? { host: target.host } : {}),
      path: target.path,
      scopes: scopes.sort(),
      seenAt: raw.seenAt,
    };
    const known = byKey.get(keyOf(entry));
    if (known) {
      known.scopes = [...new Set([...known.scopes, ...entry.scopes])].sort();
      if (entry.seenAt > known.seenAt) known.seenAt = entry.seenAt;
    } else {
      byKey.set(keyOf(entry), entry);
    }
  }
  const stored = [...byKey.values()].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  writeLearned({ version: 1, entries: stored, ...(scopeKinds.length ? { scopeKinds } : {}) }, opts);
  return stored;
}
