/**
 * `explain <code>` output: the code's rows in DingTalk's error table, its cause class and the fix,
 * as text, JSON (schema/explain.json), markdown and GitHub workflow commands. Pure: strings out.
 */
import type { CodeExplanation } from '../core/explain-code.js';
import { causeLabel } from './diagnose.js';
import { mdCell, mdCode } from './markdown.js';
import { message, stepJson, stepTexts } from './messages.js';
import { SCHEMA_VERSION, type OutputOptions } from './output.js';
import { styler } from './style.js';

/** Rows shown in people's formats; --json lists all. */
const SHOWN_ROWS = 8;

const status = (r: CodeExplanation['rows'][number]) => r.httpStatuses.join('/') || '—';

export function explainJson(e: CodeExplanation, opts: OutputOptions) {
  return {
    schemaVersion: SCHEMA_VERSION,
    command: 'explain' as const,
    code: e.code,
    cause: e.cause,
    denial: e.denial,
    rows: e.rows.map((r) => ({ httpStatus: r.httpStatuses.length ? r.httpStatuses.join('/') : null, message: r.message, explanation: r.explanation, url: r.url })),
    explanation: e.finding.explanation,
    consoleUrl: e.finding.consoleUrl,
    steps: stepTexts(e.finding.steps, opts.lang),
    advice: e.finding.steps.map((s) => stepJson(s, opts.lang)),
  };
}

export function renderExplainText(e: CodeExplanation, opts: OutputOptions): string {
  const c = styler(opts.color);
  const lang = opts.lang;
  const out = [`${e.denial ? c.red('✖') : c.yellow('!')} ${c.bold(e.code)} — ${causeLabel(e.cause, lang)}`];
  out.push(`  ${message(e.denial ? 'explain.denial' : 'explain.not-denial', {}, lang)}`);
  if (e.finding.explanation) out.push(`  ${c.dim(message('ui.ci.dingtalk', {}, lang))} ${e.finding.explanation}`);
  if (e.rows.length > 1) {
    out.push(`  ${c.dim(message('explain.rows', { count: e.rows.length }, lang))}`);
    for (const r of e.rows.slice(0, SHOWN_ROWS)) out.push(`    ${status(r)}  ${r.message}${r.explanation && r.explanation !== r.message ? ` — ${r.explanation}` : ''}`);
    if (e.rows.length > SHOWN_ROWS) out.push(`    ${message('explain.more-rows', { count: e.rows.length - SHOWN_ROWS }, lang)}`);
  }
  const url = e.rows.find((r) => r.url)?.url;
  if (url) out.push(`  ${c.dim(message('explain.table', {}, lang))} ${url}`);
  out.push(`  ${c.dim(message('explain.fix', {}, lang))}`);
  stepTexts(e.finding.steps, lang).forEach((s, i) => out.push(`    ${i + 1}. ${s}`));
  return out.join('\n');
}

export function renderExplainMarkdown(e: CodeExplanation, opts: OutputOptions): string {
  const lang = opts.lang;
  const out = [`### ${mdCode(e.code)} — ${mdCell(causeLabel(e.cause, lang))}`, '', message(e.denial ? 'explain.denial' : 'explain.not-denial', {}, lang), ''];
  if (e.finding.explanation) out.push(`> ${mdCell(e.finding.explanation)}`, '');
  if (e.rows.length > 1) {
    out.push('| HTTP | message | explanation |', '|---|---|---|');
    for (const r of e.rows) out.push(`| ${status(r)} | ${mdCell(r.message)} | ${mdCell(r.explanation)} |`);
    out.push('');
  }
  stepTexts(e.finding.steps, lang).forEach((s, i) => out.push(`${i + 1}. ${mdCell(s)}`));
  return out.join('\n');
}

const ghData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const ghProp = (s: string) => ghData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

export function renderExplainGithub(e: CodeExplanation, opts: OutputOptions): string {
  const body = [...(e.finding.explanation ? [e.finding.explanation] : []), ...stepTexts(e.finding.steps, opts.lang).map((s, i) => `${i + 1}. ${s}`)];
  return `::notice title=${ghProp(message('ui.ci.explain-title', { code: e.code, cause: causeLabel(e.cause, opts.lang) }, opts.lang))}::${ghData(body.join('\n'))}`;
}
