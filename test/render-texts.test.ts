/**
 * Issue 17 §1: every text the renderers print is message data (src/messages/en.json, zh.json, read with
 * `message(id, params, lang)`); no renderer in src/render/ keeps a `zh ? … : …` choice or a Chinese
 * string of its own. Fails when one comes back.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/run-cli.js';

const dir = join(ROOT, 'src', 'render');
/** The code of a file without its comments (a comment may quote a Chinese label). */
const code = (file: string) =>
  readFileSync(join(dir, file), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .split('\n')
    .map((l) => l.replace(/(^|\s)\/\/.*$/, ''))
    .join('\n');
const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));

describe('src/render: texts come from the message data', () => {
  it.each(files)('%s has no zh/en ternary and no Chinese string literal', (file) => {
    const src = code(file);
    // choosing a text by language: `zh ? '…' : '…'`, `lang === 'zh' ? …`
    expect(src.match(/\bzh\s*\?[^?]|===\s*'zh'\s*\?/g) ?? []).toEqual([]);
    expect(src.match(/(['"`])[^'"`\n]*[\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef][^'"`\n]*\1/g) ?? []).toEqual([]);
  });

  it('en.json and zh.json have the same ids', () => {
    const en = Object.keys(JSON.parse(readFileSync(join(ROOT, 'src/messages/en.json'), 'utf8')) as object).sort();
    const zh = Object.keys(JSON.parse(readFileSync(join(ROOT, 'src/messages/zh.json'), 'utf8')) as object).sort();
    expect(zh).toEqual(en);
  });
});
