/**
 * Ranked scope search over codes, zh/en names, and the paths and summaries of the APIs that need
 * each scope. Forgiving: case, dots vs underscores, camelCase, partial words. CJK runs match as
 * substrings. Documents are tokenised once, on the first search.
 */
import type { ApiInfo, ScopeInfo, SearchDoc, SearchHit } from './types.js';

export type { SearchHit } from './types.js';

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;

/** Latin words of an identifier or text: camelCase, dots, underscores, slashes split; lower case. */
export function wordsOf(text: string): string[] {
  return (text.match(/PaaS|SaaS|AIoT|[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+/g) ?? []).map((w) => w.toLowerCase());
}

/** Query terms: latin words and CJK runs. */
export function termsOf(query: string): string[] {
  const terms: string[] = [];
  for (const chunk of query.split(/[\s,;，；、]+/).filter(Boolean)) {
    for (const part of chunk.split(/([\u3400-\u9fff\uf900-\ufaff]+)/)) {
      if (!part) continue;
      if (CJK.test(part)) terms.push(part);
      else terms.push(...wordsOf(part));
    }
  }
  return [...new Set(terms)];
}

/**
 * What a document must contain for `query` to hit it: a hit needs a term (or a synonym of one) inside
 * a word of its code, name or API paths (stored lower-case) or inside its Chinese name or API
 * summaries (CJK terms). So documents stored as text can be skipped unread when none of these occurs.
 */
export function searchNeedles(query: string): string[] {
  return [...new Set(termsOf(query).flatMap((t) => [t, ...(SYNONYMS[t] ?? [])]))];
}

/** A search hit before its scope is looked up. */
export interface DocHit {
  scope: string;
  score: number;
  why: string;
}

/**
 * Words DingTalk developers use for a product whose codes say something else: approvals are the
 * `workflow` / legacy `aflow` APIs; `msg` is how legacy codes spell message. Matched at a discount.
 */
const SYNONYMS: Record<string, string[]> = {
  approval: ['workflow', 'aflow'],
  approvals: ['workflow', 'aflow'],
  approve: ['workflow', 'aflow'],
  message: ['msg'],
  messages: ['msg'],
  msg: ['message'],
};
const SYNONYM_WEIGHT = 0.7;

/** `word` is `term`, or `term` in the plural (instances, processes). */
const sameWord = (word: string, term: string) => word === term || word === `${term}s` || word === `${term}es`;

/**
 * 2 when the terms occur as consecutive words, in order, in the sequence (plurals allowed);
 * 1 when they do so as word prefixes ('contac use' in contact, user); 0 otherwise.
 */
function phraseIn(seq: readonly string[], terms: readonly string[]): number {
  let best = 0;
  for (let i = 0; i + terms.length <= seq.length; i++) {
    let exact = true;
    let prefix = true;
    for (let k = 0; k < terms.length && prefix; k++) {
      const w = seq[i + k] ?? '';
      const t = terms[k] ?? '';
      if (!sameWord(w, t)) exact = false;
      if (!(t.length >= 2 && w.startsWith(t))) prefix = false;
    }
    if (exact && prefix) return 2;
    if (prefix) best = 1;
  }
  return best;
}

/** The search document of one scope; `apiOf` finds the APIs the scope lists. */
export function searchDocOf(scope: ScopeInfo, apiOf: (id: string) => ApiInfo | undefined): SearchDoc {
  const needed = scope.apis.map(apiOf).filter((a): a is ApiInfo => Boolean(a));
  const paths = [...new Map(needed.map((a) => wordsOf(a.path.replace(/\{[^}]*\}/g, ''))).map((w) => [w.join(' '), w])).values()];
  return {
    scope: scope.code,
    uses: scope.apis.length,
    key: scope.code.toLowerCase().replace(/[^a-z0-9]/g, ''),
    headKey: (scope.code.split(/[._]/)[0] ?? '').toLowerCase(),
    code: wordsOf(scope.code),
    en: wordsOf(scope.name.en ?? ''),
    zh: scope.name.zh ?? '',
    pathWords: [...new Set(paths.flat())],
    paths,
    summaries: [...new Set(needed.map((a) => a.summary ?? ''))].join('\n'),
    identifiers: [
      ...new Set(
        [...scope.code.split(/[._]/), ...needed.flatMap((a) => a.path.split('/'))]
          .filter((seg) => seg && !seg.startsWith('{'))
          .map((seg) => seg.toLowerCase()),
      ),
    ],
  };
}

/** The best score of one query term in a document, and the field it matched. */
function termScore(doc: SearchDoc, term: string): { best: number; field: string } {
  let best = 0;
  let field = '';
  const consider = (s: number, f: string) => {
    if (s > best) [best, field] = [s, f];
  };
  if (CJK.test(term)) {
    for (const name of doc.zh.split(' / ')) {
      if (name === term) consider(16, 'name');
      else if (name.includes(term)) consider(10 + (4 * term.length) / name.length, 'name');
    }
    if (doc.summaries.includes(term)) consider(3, 'API summary');
    return { best, field };
  }
  const latin = (t: string, weight: number, label: (f: string) => string) => {
    for (const w of doc.code) {
      if (w === t) consider(10 * weight, label('code'));
      else if (t.length >= 2 && w.startsWith(t)) consider(6 * weight, label('code'));
      else if (t.length >= 3 && w.includes(t)) consider(3 * weight, label('code'));
    }
    for (const w of doc.en) {
      if (w === t) consider(5 * weight, label('name'));
      else if (t.length >= 2 && w.startsWith(t)) consider(3 * weight, label('name'));
    }
    if (doc.pathWords.includes(t)) consider(2 * weight, label('API path'));
    else if (t.length >= 3) for (const w of doc.pathWords) if (w.startsWith(t)) consider(1 * weight, label('API path'));
  };
  latin(term, 1, (f) => f);
  for (const alt of SYNONYMS[term] ?? []) latin(alt, SYNONYM_WEIGHT, (f) => `${f} (as ${alt})`);
  return { best, field };
}

/** Bonuses for the query as a whole: the code itself, a partial code, a phrase, a compound identifier. */
function wholeQueryScore(doc: SearchDoc, terms: readonly string[], whole: string, note: (field: string, term: string) => void): number {
  let score = 0;
  if (whole && doc.key === whole) score += 50;
  // A partial code ('contact.user.re'); not a bare product name, which every scope of the product starts with.
  else if (whole.length >= 4 && whole.length > doc.headKey.length && doc.key.startsWith(whole)) score += 8;
  // The words typed, in order, as consecutive words of the code, the name or an API path.
  const latinTerms = terms.filter((t) => !CJK.test(t));
  if (latinTerms.length >= 2 && latinTerms.length === terms.length) {
    const phrase = Math.max(0, ...[doc.code, doc.en, ...doc.paths].map((seq) => phraseIn(seq, latinTerms)));
    if (phrase) {
      score += phrase === 2 ? 12 : 6;
      note('phrase', latinTerms.join(' '));
    }
    // ... or as one identifier, the way DingTalk names the thing (processInstances, sendmsg).
    const compound = latinTerms.join('');
    if (doc.identifiers.some((id) => id.startsWith(compound))) score += 4;
  }
  return score;
}

/** Ranked hits of a query over search documents (scope codes, not yet ScopeInfo). */
export function searchDocs(docs: readonly SearchDoc[], query: string, limit = 10): DocHit[] {
  const terms = termsOf(query);
  if (!terms.length) return [];
  const whole = query.toLowerCase().replace(/[^a-z0-9]/g, '');
  const hits: Array<DocHit & { matched: number; uses: number }> = [];
  for (const doc of docs) {
    let score = 0;
    let matched = 0;
    const why: Record<string, string[]> = {};
    const note = (field: string, term: string) => (why[field] ??= []).push(term);
    for (const term of terms) {
      const { best, field } = termScore(doc, term);
      if (best > 0) {
        matched++;
        score += best;
        note(field, term);
      }
    }
    if (!matched) continue;
    score += wholeQueryScore(doc, terms, whole, note);
    const text = Object.entries(why)
      .map(([f, ts]) => `${f}: ${ts.join(', ')}`)
      .join('; ');
    hits.push({ scope: doc.scope, uses: doc.uses, score: Math.round(score * 10) / 10, matched, why: text });
  }
  // Latin words tie between codes that share a word (attendance → 6 scopes): the scope more APIs
  // need is the likelier one. Chinese names already rank by how much of the name the words cover.
  const byUse = terms.some((t) => !CJK.test(t));
  hits.sort(
    (a, b) =>
      b.matched - a.matched ||
      b.score - a.score ||
      (byUse ? b.uses - a.uses : 0) ||
      a.scope.length - b.scope.length ||
      (a.scope < b.scope ? -1 : a.scope > b.scope ? 1 : 0),
  );
  return hits.slice(0, limit).map(({ scope, score, why }) => ({ scope, score, why }));
}
