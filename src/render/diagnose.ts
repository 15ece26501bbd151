/**
 * Renderers of a diagnosis: text (for people), JSON (one document), GitHub workflow
 * commands (annotations) and Markdown (PR comment / step summary). Pure: strings in,
 * strings out; the command decides where they go.
 */
import { annotation } from './github.js';
import type { DiagnoseResult } from '../core/diagnose.js';
import type { DiagnoseJson, FindingJson, PlatformNote } from '../core/json.js';
import type { ApiVia, Cause, Evidence, Finding, ScopeRef } from '../core/types.js';
import { mdCell, mdCode } from './markdown.js';
import { message, onceTexts, outputNotes, stepJson, stepTexts } from './messages.js';
import { SCHEMA_VERSION, type Lang } from './output.js';
import { styler } from './style.js';

export const causeLabel = (cause: Cause, lang: Lang) => message(`cause.${cause}`, {}, lang);

const evidenceText = (evidence: Evidence[]) => evidence.slice(0, 2).map((e) => `${e.kind} ${e.value}`).join(', ');

function platformText(f: Finding, lang: Lang): string | null {
  if (!f.platform) return null;
  return f.platform === 'assumed' ? message('platform.assumed', {}, lang) : message('platform.dingtalk', { evidence: evidenceText(f.evidence ?? []) }, lang);
}

/** `note: …` lines for other platforms' errors (never findings, never a failure). */
function noteLines(notes: PlatformNote[], lang: Lang): string[] {
  return notes.map((n) =>
    message('note.other-platform', {
      where: `${n.source.input}:${n.source.line}`,
      times: n.count > 1 ? ` ×${n.count}` : '',
      platform: message(`platform.${n.platform}`, {}, lang),
      what: [n.code, evidenceText(n.evidence)].filter(Boolean).join(', '),
    }, lang),
  );
}

const KIND_LABEL = {
  en: { standard: 'standard', special: 'special', unknown: 'kind unknown' },
  zh: { standard: '普通权限', special: '特殊权限', unknown: '类型未知' },
} as const;

function scopeName(s: ScopeRef, lang: Lang): string {
  const names = lang === 'zh' ? [s.name.zh, s.name.en] : [s.name.en, s.name.zh];
  return names.filter((n): n is string => Boolean(n)).join(' / ');
}

export const apiText = (f: Finding) => (f.api ? `${f.api.method ? `${f.api.method} ` : ''}${f.api.template ?? f.api.path}` : null);
const where = (f: Finding) => `${f.source.input}:${f.source.line}`;
export const errorText = (f: Finding) => [f.httpStatus, f.code, f.subCode ? `sub_code ${f.subCode}` : null].filter((x) => x !== null).join(' ');

export function headline(f: Finding, lang: Lang): string {
  const scopes = f.scopes.map((s) => s.code).join(', ');
  return `${causeLabel(f.cause, lang)}${scopes ? ` · ${scopes}` : ''}`;
}

const appTypeText = (t: NonNullable<Finding['appType']>, lang: Lang) =>
  message(`app-type.${t.via}`, { type: t.type, app: t.app ?? '', source: t.source ?? '', evidence: t.evidence ?? '' }, lang);

/** Scopes the finding asks to request (a base scope is granted by default: nothing to request). */
const toRequest = (f: Finding) => (f.cause === 'missing-scope' ? f.scopes.filter((s) => !s.base) : []);

/** The console link helps where the fix is in the console: not for a bad request or a rate limit. */
const consoleHelps = (f: Finding) => f.cause !== 'other-error' && f.cause !== 'throttled';

/** The action, gh style, for the first line: `→ request it: <apply link>`. */
function actionOf(f: Finding, lang: Lang): string {
  if (toRequest(f).length) return message('action.request', { url: f.consoleUrl }, lang);
  if (f.cause === 'ip-not-allowed') return message(f.callerIp ? 'action.allow-ip' : 'action.allow-egress-ip', { ip: f.callerIp ?? '', url: f.consoleUrl }, lang);
  return '';
}

/** Terminal columns of a label: CJK characters take two (`调用方 IP` is 9 columns, not 6 or 12). */
const displayWidth = (s: string) => [...s].reduce((n, ch) => n + (ch.codePointAt(0)! >= 0x2e80 ? 2 : 1), 0);

export interface TextOptions {
  color: boolean;
  lang: Lang;
  /** Names of the inputs, for the "nothing found" line. */
  inputs: string[];
}

export function renderDiagnoseText(result: DiagnoseResult, opts: TextOptions): string {
  const c = styler(opts.color);
  const zh = opts.lang === 'zh';
  const L = zh
    ? { where: '位置', platform: '平台', error: '错误', api: '接口', scope: '权限', says: '钉钉说明', console: '开发者后台', rid: '请求 ID', ip: '调用方 IP', app: 'AppKey', msg: '消息', type: '应用类型' }
    : { where: 'where', platform: 'platform', error: 'error', api: 'API', scope: 'scope', says: 'DingTalk', console: 'console', rid: 'request id', ip: 'caller IP', app: 'AppKey', msg: 'message', type: 'app type' };
  const width = Math.max(...Object.values(L).map(displayWidth)) + 1;
  const label = (s: string) => c.dim(s + ' '.repeat(width - displayWidth(s)));
  const out: string[] = [];

  if (result.findings.length === 0) {
    const names = opts.inputs.join(', ');
    const none = zh ? `在 ${names} 中没有发现钉钉错误。` : `No DingTalk error found in ${names}.`;
    return `${[none, ...noteLines(result.notes ?? [], opts.lang)].join('\n')}\n`;
  }

  const notes = outputNotes(opts.lang);
  for (const f of result.findings) {
    const mark = f.cause === 'other-error' ? c.yellow('!') : c.red('✖');
    // gh style: the action on the first line, then a few lines of evidence, then the steps.
    const action = actionOf(f, opts.lang);
    out.push(`${mark} ${c.bold(headline(f, opts.lang))}${action ? c.cyan(action) : ''}`);
    const times = f.count > 1 ? (zh ? `（共 ${f.count} 次，首次出现）` : ` (${f.count}×, first seen here)`) : '';
    // the error, where it was seen and on which platform share one line
    const err = errorText(f);
    const seen = `${where(f)}${times}`;
    const platform = platformText(f, opts.lang);
    const errorLine = [err, f.requestId ? `${L.rid} ${f.requestId}` : null, seen, platform ? c.dim(platform) : null].filter(Boolean).join(' · ');
    out.push(`  ${label(err || f.requestId ? L.error : L.where)}${errorLine}`);
    if (f.message) out.push(`  ${label(L.msg)}${f.message}`);
    const api = apiText(f);
    if (api) out.push(`  ${label(L.api)}${api}${f.api?.via ? c.dim(` · ${message(`via.${f.api.via}`, {}, opts.lang)}`) : ''}`);
    for (const s of f.scopes) {
      const name = scopeName(s, opts.lang);
      const via = s.via === 'error' ? '' : zh ? (s.via === 'catalog' ? ' · 来自目录' : ' · 来自观察记录') : s.via === 'catalog' ? ' · from the catalog' : ' · observed';
      out.push(`  ${label(L.scope)}${c.bold(s.code)}${name ? ` — ${name}` : ''} · ${KIND_LABEL[opts.lang][s.kind]}${via}`);
    }
    // the action line already names the caller IP of an IP refusal
    if (f.callerIp && !(f.cause === 'ip-not-allowed' && action)) out.push(`  ${label(L.ip)}${f.callerIp}`);
    if (f.appKey) out.push(`  ${label(L.app)}${f.appKey}`);
    if (f.appType) out.push(`  ${label(L.type)}${appTypeText(f.appType, opts.lang)}`);
    // DingTalk's own explanation of a missing scope says only "request the permission": the steps do
    if (f.explanation && f.cause !== 'missing-scope') out.push(`  ${label(L.says)}${f.explanation}`);
    const steps = notes.stepsOf(f.steps);
    steps.forEach((step, i) => out.push(`  ${i + 1}. ${step}`));
    // the console link once: not when the action or a step already gives it
    if (!action && consoleHelps(f) && !steps.some((step) => step.includes(f.consoleUrl))) out.push(`  ${label(L.console)}${c.cyan(f.consoleUrl)}`);
    out.push('');
  }
  for (const note of notes.said()) out.push(c.dim(message('ui.note', { text: note }, opts.lang)));
  out.push(...noteLines(result.notes ?? [], opts.lang));
  out.push(summaryLine(result, opts.lang));
  return `${out.join('\n')}\n`;
}

/** The findings past the shown limit: counted, not listed. */
function notShownText(summary: DiagnoseResult['summary'], lang: Lang): string {
  const hidden = summary.notShown;
  if (!hidden) return '';
  const n = `${hidden.exact ? '' : lang === 'zh' ? '至少 ' : 'at least '}${hidden.findings}`;
  return lang === 'zh'
    ? `。另有 ${n} 个不同的问题未列出（出现 ${hidden.occurrences} 次）`
    : `. ${n} more distinct finding${hidden.findings === 1 ? '' : 's'} not shown (${hidden.occurrences} occurrence${hidden.occurrences === 1 ? '' : 's'})`;
}

export function summaryLine(result: DiagnoseResult, lang: Lang): string {
  const { summary } = result;
  const n = summary.findings;
  const missing = summary.missingScopes.length ? summary.missingScopes.join(', ') : null; // base scopes are never in it (core/diagnose.ts)
  if (lang === 'zh') {
    return `${n} 个问题（共出现 ${summary.occurrences} 次）${missing ? `。需要申请的权限：${missing}` : ''}${notShownText(summary, lang)}`;
  }
  return `${n} finding${n === 1 ? '' : 's'} (${summary.occurrences} occurrence${summary.occurrences === 1 ? '' : 's'})${missing ? `. Scopes to request: ${missing}` : ''}${notShownText(summary, lang)}`;
}

export function findingJson(f: Finding, lang: Lang = 'en'): FindingJson {
  return {
    cause: f.cause,
    scopes: f.scopes.map((s) => ({ code: s.code, kind: s.kind, name: s.name, via: s.via })),
    requestId: f.requestId,
    httpStatus: f.httpStatus,
    code: f.code,
    subCode: f.subCode,
    message: f.message,
    api: f.api ? { method: f.api.method, path: f.api.path, host: f.api.host ?? null, template: f.api.template ?? null, via: f.api.via ?? null } : null,
    source: f.source,
    count: f.count,
    consoleUrl: f.consoleUrl,
    explanation: f.explanation,
    steps: stepTexts(f.steps, lang),
    advice: f.steps.map((step) => stepJson(step, lang)),
    callerIp: f.callerIp,
    appKey: f.appKey,
    platform: f.platform ?? 'assumed',
    evidence: f.evidence ?? [],
    appType: f.appType ?? null,
  };
}

/** `lang` is the requested language of the texts (`--lang`; English by default, never the locale). */
export function diagnoseJson(result: DiagnoseResult, inputs: string[], lang: Lang = 'en'): DiagnoseJson {
  return {
    schemaVersion: SCHEMA_VERSION,
    command: 'diagnose',
    inputs,
    findings: result.findings.map((f) => findingJson(f, lang)),
    notes: result.notes ?? [],
    summary: result.summary,
  };
}


export function renderDiagnoseGithub(result: DiagnoseResult, lang: Lang): string {
  const texts = onceTexts(lang);
  const lines = result.findings.flatMap((f) => {
    const level = f.cause === 'other-error' ? 'warning' : 'error';
    const body = [
      [errorText(f), apiText(f), f.count > 1 ? `${f.count}×` : null].filter(Boolean).join(' · '),
      ...(f.explanation ? [f.explanation] : []),
      ...texts(f.steps).map((s, i) => `${i + 1}. ${s}`),
      ...(consoleHelps(f) ? [f.consoleUrl] : []),
    ];
    // One annotation per missing scope (a body naming two scopes is two things to request).
    const titles = f.cause === 'missing-scope' && f.scopes.length > 1
      ? f.scopes.map((s) => `${causeLabel(f.cause, lang)} · ${s.code}`)
      : [headline(f, lang)];
    const where = f.source.input !== '-' ? { file: f.source.input, line: f.source.line } : {};
    return titles.map((title) => annotation(level, { ...where, title: `DingTalk: ${title}` }, body.join('\n')));
  });
  lines.push(summaryLine(result, lang));
  return `${lines.join('\n')}\n`;
}

const cell = mdCell;

export function renderDiagnoseMarkdown(result: DiagnoseResult, lang: Lang): string {
  const zh = lang === 'zh';
  const out: string[] = [zh ? '### dingtalk-doctor 诊断' : '### dingtalk-doctor diagnose', ''];
  // Other platforms' errors: one note line each (escaped like a cell: text from a log never opens HTML).
  const notes = noteLines(result.notes ?? [], lang).map((n) => `- ${cell(n)}`);
  if (result.findings.length === 0) {
    out.push(zh ? '没有发现钉钉错误。' : 'No DingTalk error found.');
    if (notes.length) out.push('', ...notes);
    return `${out.join('\n')}\n`;
  }
  out.push(
    zh ? '| 原因 | 权限 | 接口 | 错误 | 位置 | 次数 |' : '| Cause | Scope | API | Error | Seen at | Count |',
    '|---|---|---|---|---|---|',
  );
  for (const f of result.findings) {
    const scopes = f.scopes.map((s) => {
      const name = scopeName(s, lang);
      return `${mdCode(s.code)}${name ? ` ${cell(name)}` : ''} (${KIND_LABEL[lang][s.kind]})`;
    });
    const api = apiText(f);
    const cells = [cell(causeLabel(f.cause, lang)), scopes.join('<br>') || '—', api ? mdCode(api) : '—', cell(errorText(f)) || '—', mdCode(where(f)), String(f.count)];
    out.push(`| ${cells.join(' | ')} |`);
  }
  out.push('');
  const texts = onceTexts(lang);
  for (const f of result.findings) {
    out.push(`<details><summary>${cell(headline(f, lang))} — ${cell(where(f))}</summary>`, '');
    if (f.explanation) out.push(`> ${f.explanation}`, '');
    texts(f.steps).forEach((s, i) => out.push(`${i + 1}. ${s}`));
    if (consoleHelps(f)) out.push('', `${zh ? '开发者后台' : 'Developer Console'}: ${f.consoleUrl}`);
    out.push('', '</details>', '');
  }
  if (notes.length) out.push(...notes, '');
  out.push(summaryLine(result, lang));
  return `${out.join('\n')}\n`;
}
