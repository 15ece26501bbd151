/**
 * Where an app's `required` entries sit in its config file, for annotations that point at
 * the line (`check --format github`). Found by text, so YAML, JSON and JS configs all work: the
 * first line after the app's own key that holds the entry as a whole token.
 */
import { escapeRegExp } from '../values.js';

export function requiredEntryLines(text: string, app: string, entries: readonly string[]): Map<string, number> {
  const lines = text.split(/\r?\n/);
  const appKey = new RegExp(`^\\s*["']?${escapeRegExp(app)}["']?\\s*:`);
  const start = lines.findIndex((l) => appKey.test(l));
  const found = new Map<string, number>();
  if (start === -1) return found;
  for (const entry of new Set(entries)) {
    const token = new RegExp(`(^|[\\s"'\\[,-])${escapeRegExp(entry)}($|[\\s"'\\],#])`);
    const at = lines.findIndex((l, i) => i > start && token.test(l));
    if (at !== -1) found.set(entry, at + 1);
  }
  return found;
}
