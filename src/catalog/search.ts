/**
 * Ranked scope search over codes, zh/en names, and the paths and summaries of the APIs that need
 * each scope. Forgiving: case, dots vs underscores, camelCase, partial words. CJK runs match as
 * substrings. Documents are tokenised once, on the first search.
 */
import type { ApiInfo, ScopeInfo } from './index.js';

export interface SearchHit {
  scope: ScopeInfo;
  score: number;
  /** What matched, e.g. `code: contact, user, read` or `name: 通讯录`. */
  why: string;
}

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

interface Doc {
  scope: ScopeInfo;
  key: string;
  code: string[];
  en: string[];
  zh: string;
  pathWords: Set<string>;
  summaries: string;
}

export function buildSearch(scopes: readonly ScopeInfo[], apis: ReadonlyMap<string, ApiInfo>) {
  const docs: Doc[] = scopes.map((scope) => {
    const needed = scope.apis.map((id) => apis.get(id)).filter((a): a is ApiInfo => Boolean(a));
    return {
      scope,
      key: scope.code.toLowerCase().replace(/[^a-z0-9]/g, ''),
      code: wordsOf(scope.code),
      en: wordsOf(scope.name.en ?? ''),
      zh: scope.name.zh ?? '',
      pathWords: new Set(needed.flatMap((a) => wordsOf(a.path.replace(/\{[^}]*\}/g, '')))),
      summaries: needed.map((a) => a.summary ?? '').join('\n'),
    };
  });

  return (query: string, limit = 10): SearchHit[] => {
    const terms = termsOf(query);
    if (!terms.length) return [];
    const whole = query.toLowerCase().replace(/[^a-z0-9]/g, '');
    const hits: Array<SearchHit & { matched: number }> = [];
    for (const doc of docs) {
      let score = 0;
      let matched = 0;
      const why: Record<string, string[]> = {};
      const note = (field: string, term: string) => (why[field] ??= []).push(term);
      for (const term of terms) {
        let best = 0;
        let field = '';
        const consider = (s: number, f: string) => {
          if (s > best) [best, field] = [s, f];
        };
        if (CJK.test(term)) {
          const zhNames = doc.zh.split(' / ');
          for (const name of zhNames) {
            if (name === term) consider(16, 'name');
            else if (name.includes(term)) consider(10 + (4 * term.length) / name.length, 'name');
          }
          if (doc.summaries.includes(term)) consider(3, 'API summary');
        } else {
          for (const w of doc.code) {
            if (w === term) consider(10, 'code');
            else if (term.length >= 2 && w.startsWith(term)) consider(6, 'code');
            else if (term.length >= 3 && w.includes(term)) consider(3, 'code');
          }
          for (const w of doc.en) {
            if (w === term) consider(5, 'name');
            else if (term.length >= 2 && w.startsWith(term)) consider(3, 'name');
          }
          if (doc.pathWords.has(term)) consider(2, 'API path');
          else if (term.length >= 3) for (const w of doc.pathWords) if (w.startsWith(term)) consider(1, 'API path');
        }
        if (best > 0) {
          matched++;
          score += best;
          note(field, term);
        }
      }
      if (!matched) continue;
      if (whole && doc.key === whole) score += 50;
      else if (whole.length >= 4 && doc.key.startsWith(whole)) score += 8;
      hits.push({
        scope: doc.scope,
        score: Math.round(score * 10) / 10,
        matched,
        why: Object.entries(why)
          .map(([f, ts]) => `${f}: ${ts.join(', ')}`)
          .join('; '),
      });
    }
    hits.sort(
      (a, b) =>
        b.matched - a.matched ||
        b.score - a.score ||
        a.scope.code.length - b.scope.code.length ||
        (a.scope.code < b.scope.code ? -1 : a.scope.code > b.scope.code ? 1 : 0),
    );
    return hits.slice(0, limit).map(({ scope, score, why }) => ({ scope, score, why }));
  };
}
