/**
 * What `scopes scan` runs (registered in scan.ts): loaded only by a scan, so `scopes show/for/search`
 * do not load the scanner, the config writer and --check's probes.
 */
import { getCatalog } from '../catalog/index.js';
import * as core from '../core/check.js';
import { openSession } from '../dingtalk/session.js';
import { errorText, uiError } from '../render/messages.js';
import type { Renderers } from '../render/output.js';
import { scanSarif } from '../render/sarif.js';
import * as render from '../render/scan.js';
import { joinScanWithCheck, type ScanCheck } from '../scan/check.js';
import { scanTree, type ScanResult } from '../scan/index.js';
import { openConfigForWrite } from '../config/write.js';
import { sessionOptions, type AppFlags } from './app-options.js';
import { probe } from './check-run.js';
import { mergeConsoles, startConsoles, type Consoles } from './check-dws.js';
import { action, type Out } from './shared.js';

interface ScanOptions extends AppFlags {
  writeConfig?: boolean;
  check?: boolean;
}

export interface ScanOutcome {
  scan: ScanResult;
  /** Set by --check. */
  check?: ScanCheck;
}

const renderers: Renderers<ScanOutcome> = {
  text: (r, o) => (r.check ? render.renderScanCheckText(r.check, o) : render.renderScanText(r.scan, o)),
  json: (r) => (r.check ? { ...render.scanJson(r.scan), check: render.scanCheckJson(r.check) } : render.scanJson(r.scan)),
  markdown: (r, o) => render.renderScanMarkdown(r.scan, o),
  github: (r, o) => (r.check ? render.renderScanCheckGithub(r.check, o) : render.renderScanGithub(r.scan, o)),
  sarif: (r, o) => scanSarif(r.scan, r.check, o.lang),
};

/** Probes the app (and reads its console through dws, when present) for the scopes the scan found; base scopes come with the app. */
async function checkScan(out: Out, opts: ScanOptions, scan: ScanResult): Promise<{ check: ScanCheck; exit: number }> {
  const session = await openSession(sessionOptions(opts, { deadlineMs: 60_000 }), { cwd: process.cwd(), env: process.env, warn: (t) => out.info(t, true) });
  const app = session.apps[0]!;
  const { toRequest } = render.splitBase(scan.scopes);
  let checked: core.AppCheck | undefined;
  let consoles: Consoles | null = null;
  try {
    // dws (DingTalk's CLI), when it is there and logged in, reads the Developer Console beside the probes, as in `check`.
    consoles = await startConsoles(out, {}, session);
    [checked] = await probe(out, [{ app, plan: core.planChecks(toRequest.map((s) => s.code), getCatalog()) }], session, 8, consoles);
  } finally {
    await session.close();
  }
  if (consoles) await mergeConsoles(out, [checked!], consoles);
  core.attachAdvice([checked!]);
  return { check: joinScanWithCheck(scan, checked!), exit: core.checkExitCode([checked!]) };
}

async function writeFoundScopes(out: Out, writer: Awaited<ReturnType<typeof openConfigForWrite>>, scan: ScanResult): Promise<void> {
  // Base scopes come with every app of the type: nothing for `check` to verify.
  const { toRequest, granted } = render.splitBase(scan.scopes);
  const note = granted.length > 0 ? errorText('note.write.not-written', { list: granted.map((s) => s.code).join(', ') }) : '';
  const written = await writer.write(
    toRequest.map((s) => s.code),
    (diff) => out.info(errorText('note.write.diff', { diff, note }), true),
  );
  out.info(written.changed ? errorText('note.write.wrote', { n: written.added.length, file: written.file }) : errorText('note.write.unchanged', { file: written.file }));
}

/** The action of `scopes scan`. */
export const runScan = action(renderers, async (out, opts: ScanOptions, dirs: string[] = []) => {
  if (opts.check && opts.writeConfig) throw uiError('err.scan.check-and-write', {}, 'err.scan.check-and-write-hint');
  const roots = dirs.length > 0 ? dirs : ['.'];
  // Config problems fail before the scan, not after it.
  const writer = opts.writeConfig ? await openConfigForWrite({ cwd: process.cwd(), configPath: opts.config, app: opts.app, warn: (t) => out.info(t, true) }) : null;
  const result = await scanTree(roots, { cwd: process.cwd() });
  if (writer) await writeFoundScopes(out, writer, result);
  if (!opts.check) return { result: { scan: result }, exit: 0 }; // finding scopes is information, not a failure
  const { check, exit } = await checkScan(out, opts, result);
  return { result: { scan: result, check }, exit };
});
