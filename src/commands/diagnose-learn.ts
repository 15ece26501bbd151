/** `diagnose --learn`: remember the API → scope pairs the errors showed (the API from the input, the scope from the error). */
import { getCatalog } from '../catalog/index.js';
import { learnedPath, recordLearned } from '../config/learned.js';
import { resolveApi } from '../core/diagnose.js';
import type { ErrorRecord } from '../core/types.js';
import { errorText } from '../render/messages.js';
import type { Out } from './shared.js';

export function learnFrom(out: Out, records: readonly ErrorRecord[]): void {
  const catalog = getCatalog();
  const seenAt = new Date().toISOString();
  const entries = records.flatMap((r) => {
    const { api } = resolveApi(r, catalog);
    return api ? [{ method: api.method, path: api.template ?? api.path, host: api.host ?? null, scopes: r.requiredScopes, seenAt }] : [];
  });
  if (!entries.length) {
    out.info(errorText('note.learn.nothing'));
    return;
  }
  recordLearned(entries);
  out.info(errorText('note.learn.recorded', { n: entries.length, file: learnedPath() }));
}
