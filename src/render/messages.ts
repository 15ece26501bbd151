/**
 * Every text the tool prints for people is a message id with parameters; the texts live in
 * data (src/messages/en.json, zh.json — same ids, `{name}` placeholders), the eslint messageId
 * pattern. The core returns `{ id, params }`; renderers fill the text in here, in one language.
 */
import en from '../messages/en.json' with { type: 'json' };
import zh from '../messages/zh.json' with { type: 'json' };
import type { Step, StepParam } from '../core/types.js';
import { isWordCode } from '../values.js';
import { DoctorError, errorText, type DoctorErrorCode, type ErrorHint, type ErrorText } from '../errors.js';

/** The languages the message tables speak. */
export type Lang = 'zh' | 'en';
export type MessageId = keyof typeof en;

const TABLES: Record<Lang, Record<string, string>> = { en, zh };

/** The text of message `id` in `lang`; a parameter that is itself a message is filled in first. */
export function message(id: string, params: Readonly<Record<string, StepParam>> = {}, lang: Lang = 'en'): string {
  const template = TABLES[lang][id] ?? TABLES.en[id];
  if (template === undefined) throw new Error(`dingtalk-doctor: no message "${id}"`);
  if (!template.includes('{')) return template; // most texts have no parameter
  return fillPlaceholders(template, (name) => {
    const value = params[name];
    if (value === undefined) throw new Error(`dingtalk-doctor: message "${id}" lacks the parameter "${name}"`);
    return typeof value === 'object' ? message(value.id, value.params, lang) : String(value);
  });
}


/**
 * `template` with each `{name}` (a \w+ name) replaced by `value(name)`, as
 * `template.replace(/\{(\w+)\}/g, …)` does, by hand: nearly every run fills some texts, and a
 * pattern would be compiled at each start, twice (V8 compiles it again at its second exec).
 */
export function fillPlaceholders(template: string, value: (name: string) => string): string {
  let out = '';
  let from = 0;
  for (let open = template.indexOf('{'); open !== -1; open = template.indexOf('{', open + 1)) {
    let end = open + 1;
    while (end < template.length && isWordCode(template.charCodeAt(end))) end++;
    if (end === open + 1 || template.charCodeAt(end) !== 125 /* } */) continue;
    out += template.slice(from, open) + value(template.slice(open + 1, end));
    from = end + 1;
    open = end;
  }
  return out + template.slice(from);
}

type Names = { zh: string | null; en: string | null };

/** A bilingual name's parts in the order `lang` reads them (message data `ui.name-order`), the missing left out. */
export const namesFor = (name: Names, lang: Lang): string[] =>
  message('ui.name-order', {}, lang)
    .split(',')
    .map((k) => name[k as keyof Names])
    .filter((n): n is string => Boolean(n));

/** The name in `lang`, else in the other language; null when it has none. */
export const nameIn = (name: Names, lang: Lang): string | null => namesFor(name, lang)[0] ?? null;

/** `lang`'s separators: `list` (", " / "，"), `semi` ("; " / "；"), `enum` (", " / "、"), `sentence` (" " / ""). */
export const sep = (kind: 'list' | 'semi' | 'enum' | 'sentence', lang: Lang) => message(`ui.sep.${kind}`, {}, lang);

export const stepText = (step: Step, lang: Lang) => message(step.id, step.params, lang);
export const stepTexts = (steps: readonly Step[], lang: Lang) => steps.map((s) => stepText(s, lang));

/** A step as `--json` carries it: the id and params to switch on, and the text in the requested language. */
export const stepJson = (step: Step, lang: Lang) => ({ id: step.id, params: step.params, text: stepText(step, lang) });

/** Steps said once per output (the "kind unknown" hedge, rules true of every scope): people's formats leave out repeats. */
const ONCE_PER_OUTPUT: ReadonlySet<string> = new Set(['step.kind-unknown', 'step.per-app', 'step.special-declined']);

/** A step-text filler for one output: a step of ONCE_PER_OUTPUT is filled in the first time only. */
export function onceTexts(lang: Lang): (steps: readonly Step[]) => string[] {
  const said = new Set<string>();
  return (steps) =>
    steps
      .filter((s) => {
        if (!ONCE_PER_OUTPUT.has(s.id)) return true;
        if (said.has(s.id)) return false;
        said.add(s.id);
        return true;
      })
      .map((s) => stepText(s, lang));
}

/**
 * For text output: the steps of each finding without the ONCE_PER_OUTPUT ones, which are said
 * once, after the findings (`said()`), instead of inside the first finding's steps.
 */
export function outputNotes(lang: Lang): { stepsOf: (steps: readonly Step[]) => string[]; said: () => string[] } {
  const notes = new Map<string, string>();
  return {
    stepsOf: (steps) =>
      steps
        .filter((s) => {
          if (!ONCE_PER_OUTPUT.has(s.id)) return true;
          if (!notes.has(s.id)) notes.set(s.id, stepText(s, lang));
          return false;
        })
        .map((s) => stepText(s, lang)),
    said: () => [...notes.values()],
  };
}

export { errorText, type ErrorHint } from '../errors.js';

/** The English message and hint of an error text: what `error.message` says, for library users and --verbose. */
export const englishOf = (text: ErrorText) => ({ message: message(text.id, text.params), hint: text.hint ? message(text.hint.id, text.hint.params) : undefined });

/**
 * A DoctorError whose message and hint are message ids (eslint's messageId): English in
 * `.message`, the user's language on stderr (cli.ts). Usage error (exit 2) unless `code` says otherwise.
 */
export function uiError(id: string, params: ErrorText['params'] = {}, hint?: ErrorHint, options: { code?: DoctorErrorCode; cause?: unknown } = {}): DoctorError {
  const text = errorText(id, params, hint);
  const english = englishOf(text);
  return new DoctorError(english.message, options.code ?? 'DOCTOR_ERR_USAGE', { hint: english.hint, text, ...(options.cause === undefined ? {} : { cause: options.cause }) });
}

/** An error's message and hint in `lang`: from its ids when it has them, else as thrown. */
export function errorTexts(error: DoctorError, lang: Lang): { message: string; hint: string | undefined } {
  if (!error.text) return { message: error.message, hint: error.hint };
  return { message: message(error.text.id, error.text.params, lang), hint: error.text.hint ? message(error.text.hint.id, error.text.hint.params, lang) : error.hint };
}
