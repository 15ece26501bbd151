/**
 * The one presenter: a command's run returns `{ result, exit }` and names its renderers, one per
 * format it supports; `present()` picks the renderer of the chosen format and writes through the
 * command's output sink (so whatever that sink does — redaction — applies to every format).
 * A format a command has no renderer for is a usage error, raised before the command runs.
 */
import { uiError } from './messages.js';
import type { Format, OutputOptions } from './output.js';

export interface Renderers<R> {
  text(result: R, opts: OutputOptions): string;
  /** The `--json` document (starts with schemaVersion). Every command has one but `completion` (a script is text). */
  json?(result: R, opts: OutputOptions): unknown;
  github?(result: R, opts: OutputOptions): string;
  markdown?(result: R, opts: OutputOptions): string;
  /** A SARIF 2.1.0 log (a JSON document). */
  sarif?(result: R, opts: OutputOptions): unknown;
  /** A JUnit XML report. */
  junit?(result: R, opts: OutputOptions): string;
  /** Markdown appended to $GITHUB_STEP_SUMMARY with --format github. */
  jobSummary?(result: R, opts: OutputOptions): string;
}

export interface Outcome<R> {
  result: R;
  /** 0 all good, 1 something needs fixing, 3 the question stayed open (network). */
  exit: number;
}

/** Where a command's output goes: stdout for results, the job summary file in GitHub Actions. */
export interface Sink {
  opts: OutputOptions;
  print(text: string): void;
  json(doc: unknown): void;
  summary(markdown: string): void;
}

const FORMATS: readonly Format[] = ['text', 'json', 'github', 'markdown', 'sarif', 'junit'];

export function formatsOf(renderers: Renderers<never>): Format[] {
  return FORMATS.filter((f) => typeof (renderers as Partial<Record<Format, unknown>>)[f] === 'function');
}

/** Throws the usage error for a format `renderers` lack; `name` is the command as typed ("scopes show"). */
export function assertFormat(renderers: Renderers<never>, format: Format, name: string): void {
  const formats = formatsOf(renderers);
  if (!formats.includes(format)) throw uiError('ui.err.no-format', { command: name, format }, { id: 'ui.err.no-format-hint', params: { formats: formats.join(', ') } });
}

export function present<R>(sink: Sink, renderers: Renderers<R>, outcome: Outcome<R>): void {
  const { opts } = sink;
  const { result } = outcome;
  switch (opts.format) {
    case 'json':
      sink.json(renderers.json!(result, opts));
      return;
    case 'sarif':
      sink.json(renderers.sarif!(result, opts));
      return;
    case 'text':
      sink.print(renderers.text(result, opts));
      return;
    case 'github':
      sink.print(renderers.github!(result, opts));
      if (renderers.jobSummary) {
        const markdown = renderers.jobSummary(result, opts);
        if (markdown) sink.summary(markdown);
      }
      return;
    default:
      sink.print(renderers[opts.format]!(result, opts));
  }
}
