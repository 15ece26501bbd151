/**
 * `diagnose --replay`: re-send a failed request with a fresh token for the chosen app
 * and diagnose the answer. Input: a `curl ...` command line, a HAR file (first non-2xx
 * entry or --entry N), or `METHOD URL [--data ...]`. Only GET/HEAD unless --allow-write.
 */
import { createReadStream, statSync } from 'node:fs';
import type { ErrorParam } from '../errors.js';
import { errorText, uiError } from '../render/messages.js';
import { getCatalog } from '../catalog/index.js';
import { diagnose } from '../core/diagnose.js';
import { parseResponse } from '../core/parse/index.js';
import { HttpFailure, networkFix } from '../dingtalk/http.js';
import { sessionOptions } from './app-options.js';
import * as replay from '../dingtalk/replay.js';
import { openSession } from '../dingtalk/session.js';
import { TokenFailure } from '../dingtalk/tokens.js';
import type { Outcome } from '../render/output.js';
import type { DiagnoseOutcome } from '../render/diagnose.js';
import type { DiagnoseOptions } from './diagnose-types.js';
import type { Out } from './shared.js';
import { redactor } from '../redact.js';

/** A replay input is one request (a HAR of a whole session included); past this it is not read into memory. */
export const MAX_REPLAY_INPUT_BYTES = 64 * 1024 * 1024;
const tooLarge = (name: string) =>
  uiError('err.replay.too-large', { input: name }, 'err.replay.too-large-hint');

/** Reads a stream up to the limit: past it the read stops (memory stays bounded) and the input is refused. */
async function readBounded(stream: NodeJS.ReadableStream, name: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_REPLAY_INPUT_BYTES) throw tooLarge(name);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The replay input's text when it names a file (or `-`, stdin): read here, parsed in dingtalk/replay.ts. */
async function readReplayInput(source: replay.ReplaySource): Promise<replay.ReplaySource | { name: string; text: string }> {
  if (!('file' in source)) return source;
  const name = source.file;
  if (name === '-' && process.stdin.isTTY) throw uiError('err.replay.needs-input');
  if (name === '-') return { name, text: await readBounded(process.stdin, 'stdin') };
  const found = statSync(name, { throwIfNoEntry: false });
  const size = found?.isFile() ? found.size : -1;
  if (size < 0) throw uiError('err.replay.no-such-file', { input: name });
  if (size > MAX_REPLAY_INPUT_BYTES) throw tooLarge(name);
  return { name, text: await readBounded(createReadStream(name), name) };
}

/** Runs a replay; exit 0 no denial, 1 denial found, 3 the answer left the question open. */
export async function runReplay(out: Out, opts: DiagnoseOptions, target: string[]): Promise<Outcome<DiagnoseOutcome>> {
  const entry = opts.entry === undefined ? undefined : Number(opts.entry);
  if (entry !== undefined && !Number.isInteger(entry)) throw uiError('err.flag.whole-number', { flag: '--entry', value: String(opts.entry) });
  const input = await readReplayInput(replay.replaySource(target));
  const parsed = replay.parseReplayInput(input, { data: opts.data, entry });
  const prepared = replay.prepareReplay(parsed, Boolean(opts.allowWrite));
  // The old credentials are the run's secrets from here on: never printed, whatever echoes them.
  redactor.add(...prepared.secrets);
  if (prepared.stripped.length) out.info(errorText('note.replay.stripped', { list: prepared.stripped.join(', ') }));
  return sendReplay(out, opts, prepared, parsed.from);
}

/** Where the request came from (ReplayTarget.from: "arguments", "curl command", "trace.har entry 3"), as a message. */
function fromText(from: string): ErrorParam {
  if (from === 'arguments') return errorText('note.replay.from-arguments');
  if (from === 'curl command') return errorText('err.curl.where');
  const har = /^(.*) entry (\d+)$/.exec(from);
  return har ? errorText('note.replay.from-har', { file: har[1]!, n: Number(har[2]) }) : from;
}

/** Opens the session, gets a fresh token, sends the prepared request and diagnoses the answer. */
async function sendReplay(out: Out, opts: DiagnoseOptions, prepared: ReturnType<typeof replay.prepareReplay>, from: string): Promise<Outcome<DiagnoseOutcome>> {
  const { request, stripped, write } = prepared;
  const session = await openSession(sessionOptions(opts, { deadlineMs: 60_000 }), { cwd: process.cwd(), env: process.env, warn: (t) => out.info(t, true) });
  const app = session.apps[0]!;
  try {
    // Refuse a foreign host before any token exists.
    replay.replayRequest(request, '', session.bases);
    const token = await session.tokens.get(app).catch((error: unknown) => {
      if (error instanceof TokenFailure) throw uiError('err.token.app', { app: app.name, error: error.text ? { id: error.text.id, params: error.text.params } : error.message }, error.fixText ?? undefined, { code: 'DOCTOR_ERR_TOKEN', cause: error });
      throw error;
    });
    const send = replay.replayRequest(request, token, session.bases);
    const shown = `${send.method} ${replay.printableUrl(send.url)}`;
    if (write) {
      const override = Object.entries(send.headers ?? {}).find(([name]) => /method/i.test(name));
      const request = override ? `${shown} (${override[0]}: ${override[1]})` : shown;
      const body = send.body !== undefined ? errorText('note.replay.body', { bytes: Buffer.byteLength(send.body), body: send.body.slice(0, 500) }) : '';
      out.info(errorText('note.replay.sending-write', { request, app: app.name, body }), true);
    } else out.info(errorText('note.replay.sending', { request: shown, app: app.name, from: fromText(from) }));

    let answer;
    try {
      answer = await session.http.send(send, { retry: !write });
    } catch (error) {
      if (error instanceof HttpFailure) {
        throw uiError('err.replay.failed', { request: shown, why: errorText('err.check.failed', { kind: error.kind, why: error.text ?? error.message }) }, networkFix(error), { code: 'DOCTOR_ERR_NETWORK', cause: error });
      }
      throw uiError('err.replay.failed', { request: shown, why: String(error) }, undefined, { code: 'DOCTOR_ERR_NETWORK', cause: error });
    }
    const appKey = 'appKey' in app ? app.appKey : 'suiteKey' in app ? app.suiteKey : null;
    const api = { method: send.method, path: request.url.pathname, host: request.url.hostname };
    const redirected = answer.status >= 300 && answer.status < 400;
    const records = redirected ? [] : parseResponse({ status: answer.status, body: answer.text, api });
    // the app type comes from the config, not from a --app-type flag: say so (finding.appType.via)
    const result = diagnose(records, getCatalog(), { appKey, appType: app.type, appTypeFrom: { via: 'config', app: app.name, source: session.config.source } });
    const status = redirected ? errorText('note.replay.redirect-status', { status: answer.status, location: answer.headers.location ?? '?' }) : `HTTP ${answer.status}`;

    const answered: DiagnoseOutcome = {
      diagnosis: result,
      inputs: [from],
      replay: { app: app.name, method: send.method, url: replay.printableUrl(send.url), status: answer.status, removedTokens: stripped, headline: errorText('note.replay.headline', { request: shown, app: app.name, status }) },
    };
    if (result.findings.some((f) => f.cause !== 'other-error')) return { result: answered, exit: 1 };
    // A redirect not followed, or a server error / gateway page after the retries, leaves the
    // permission question open: a transport failure (exit 3, as in check), said on stderr in every format.
    if (redirected || answer.status >= 500) {
      const id = redirected ? 'note.replay.redirected' : write ? 'note.replay.server-error' : 'note.replay.server-error-retried';
      out.info(errorText(id, { status: answer.status }), true);
      return { result: answered, exit: 3 };
    }
    return { result: answered, exit: 0 };
  } finally {
    await session.close();
  }
}
