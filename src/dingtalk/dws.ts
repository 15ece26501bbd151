/**
 * DingTalk's own CLI `dws` (DingTalk-Real-AI/dingtalk-workspace-cli, Apache-2.0) at the edge:
 * found on PATH, run with an argument array (never a shell), with an environment that holds none
 * of our secrets (it uses its own login), its JSON read and its failures made one line with its
 * own hint. Facts (commands, flags, the `{ok, outcome, data, meta, error}` wrapper, cursor paging,
 * exit codes, confirmation): shared docs dws-permissions.md, from dws commit fcfead71.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import type { ConsoleAddResult, ConsolePermission } from '../core/check-dws.js';

export type DwsAddResult = ConsoleAddResult;
import type { ErrorParam, ErrorText } from '../errors.js';
import { redactor } from '../redact.js';
import { englishOf, errorText } from '../render/messages.js';
import { isPlainObject } from '../values.js';

/** How a dws call failed: not logged in, or what dws (or the wait for it) said. */
export type DwsFailureKind = 'not-logged-in' | 'failed';

export class DwsFailure extends Error {
  /** dws's own hint (error.hint), or ours when dws gave none (English). */
  readonly hint: string | null;
  /** The message and hint as message ids when they are ours (dws's own words stay as dws wrote them). */
  readonly text: { message: ErrorParam; hint: ErrorParam | null };
  constructor(
    readonly kind: DwsFailureKind,
    message: string | ErrorText,
    hint: string | ErrorText | null = null,
    /** dws's error.type / error.subtype, when it answered with its envelope. */
    readonly type: string | null = null,
    readonly subtype: string | null = null,
  ) {
    super(typeof message === 'string' ? message : englishOf(message).message);
    this.hint = hint === null || typeof hint === 'string' ? hint : englishOf(hint).message;
    this.text = { message, hint };
  }

  /** One line: the message and, after a dash, the hint. */
  line(): string {
    return `${this.message}${this.hint ? ` — ${this.hint}` : ''}`;
  }

  /** The same line as a message, said in the user's language. */
  lineText(): ErrorText {
    const { message, hint } = this.text;
    return errorText('err.with-hint', { message, hint: hint === null ? '' : errorText('err.hint', { hint }) });
  }
}

/** `dws`'s process answer. */
export interface DwsRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The whole-process limits of one call: dws's own per-request timeout is 30 s (flags.go:51). */
const CALL_TIMEOUT_MS = 90_000;
const MAX_OUTPUT_BYTES = 16 * 1024 * 1024;
/** 50 per page is dws's documented maximum for permission list (permission.md:9). */
export const PERMISSION_PAGE_SIZE = 50;
/** 200 pages of 50: far above the "150+ per app" the docs call normal; a loop stops here. */
const MAX_PAGES = 200;

/** The path of the `dws` executable on PATH, or null. */
export function findDws(env: Record<string, string | undefined>, platform = process.platform): string | null {
  const names = platform === 'win32' ? ['dws.exe'] : ['dws'];
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    // An empty or relative PATH entry means "the current directory": never run a file from the checked repository.
    if (!dir || !isAbsolute(dir)) continue;
    for (const name of names) {
      const file = join(dir, name);
      try {
        // (a miss is the usual case: answered without an exception, which costs a stack trace)
        if (!statSync(file, { throwIfNoEntry: false })?.isFile()) continue;
        accessSync(file, constants.X_OK);
        return file;
      } catch {
        // not a directory, not readable, not ours to run
      }
    }
  }
  return null;
}

/** The environment variables env-only mode reads secrets from (src/config/env.ts). */
export const SECRET_ENV_NAMES = ['DINGTALK_APP_SECRET', 'DINGTALK_CLIENT_SECRET', 'DINGTALK_SUITE_SECRET', 'DINGTALK_SUITE_TICKET', 'DINGTALK_ACCESS_TOKEN', 'DINGTALK_REFRESH_TOKEN'];

const ENV_REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** Every `${VAR}` a config's apps refer to (their values may be secrets). */
export function configEnvNames(apps: Record<string, unknown>): string[] {
  const names = new Set<string>();
  const walk = (v: unknown): void => {
    if (typeof v === 'string') for (const m of v.matchAll(ENV_REF)) names.add(m[1]!);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(apps);
  return [...names];
}

/**
 * dws's environment: ours without the variables that hold our secrets (named by the config or
 * env-only mode), and without any variable whose value carries a secret under another name.
 */
export function dwsEnvironment(env: Record<string, string | undefined>, secretNames: readonly string[], secretValues: readonly string[]): Record<string, string> {
  const drop = new Set([...SECRET_ENV_NAMES, ...secretNames]);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || drop.has(name)) continue;
    if (secretValues.some((s) => s.length >= 4 && value.includes(s))) continue;
    out[name] = value;
  }
  return out;
}

/** The wrapper of every `dev app` leaf's `--format json` output (dws-permissions.md §2.1). */
interface Envelope {
  ok?: boolean;
  outcome?: string;
  dry_run?: boolean;
  data?: unknown;
  meta?: { pagination?: { endpoint_exhausted?: boolean; next_token?: string }; operation?: { id?: string; state?: string; next_command?: string } };
  error?: { type?: string; subtype?: string; message?: string; hint?: string; actions?: unknown };
}

type Obj = Record<string, unknown>;
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : null);

/** The first JSON object in a text (dws prints one, 2-space indented), or undefined. */
function jsonOf(text: string): unknown {
  const start = text.indexOf('{');
  if (start === -1) return undefined;
  try {
    return JSON.parse(text.slice(start));
  } catch {
    return undefined;
  }
}

const firstLine = (text: string) => text.split('\n').map((l) => l.trim()).find(Boolean) ?? '';

/** A failure out of dws's error object: the envelope's (type/subtype/message/hint) or the legacy one on stderr (category/code/message). */
function failureOf(error: Obj, what: string): DwsFailure {
  const type = str(error.type) ?? str(error.category);
  const subtype = str(error.subtype) ?? str(error.reason) ?? str(error.code);
  const message = str(error.message) ?? `${what} failed${type ? ` (${type}${subtype ? `/${subtype}` : ''})` : ''}`;
  const notLoggedIn = type === 'auth' && subtype === 'not_authenticated';
  return new DwsFailure(notLoggedIn ? 'not-logged-in' : 'failed', `${what}: ${message}`, str(error.hint), type, subtype);
}

export interface AuthStatus {
  authenticated: boolean;
  /** Who is logged in (for the one line saying dws is used). */
  user: string | null;
  corp: string | null;
  /** Why not, when not logged in: message, reason, hint (auth_command.go:1977-1992). */
  message: string | null;
  hint: string | null;
}

/** One permission point of an app, as `dws dev app permission list` lists it (§2.3). */
export interface DwsPermission extends ConsolePermission {
  /** `allowedActions` holds "apply" (null when the item has no allowedActions). */
  canApply: boolean | null;
  /** The server's hint why it can or cannot be applied. */
  message: string | null;
}

/**
 * The item's grant. The dws skill documents `authed` (bool); its only fixture and the shortcut use
 * `authStatus: "AUTHED" | "UNAUTHED"` (also probed as auth_status / status): both are read (§7).
 */
function grantedOf(item: Obj): boolean | null {
  if (typeof item.authed === 'boolean') return item.authed;
  const status = str(item.authStatus) ?? str(item.auth_status) ?? str(item.status);
  if (status === null) return null;
  if (/^authed$/i.test(status)) return true;
  if (/^unauthed$/i.test(status)) return false;
  return null;
}

export function permissionOf(item: unknown): DwsPermission | null {
  if (!isPlainObject(item)) return null;
  const scope = str(item.scopeValue);
  if (!scope) return null;
  const actions = Array.isArray(item.allowedActions) ? item.allowedActions.filter((a): a is string => typeof a === 'string') : null;
  return {
    scope,
    name: str(item.scopeName),
    granted: grantedOf(item),
    requiredApproval: typeof item.requiredApproval === 'boolean' ? item.requiredApproval : null,
    canApply: actions ? actions.includes('apply') : null,
    message: str(item.displayMessage),
  };
}

/** What `permission add --dry-run` would send (data.invocation.params), to be shown and checked before --yes. */
export interface DwsDryRun {
  unifiedAppId: string | null;
  scopeValues: string[];
}

const scopeList = (data: Obj, keys: readonly string[]): string[] | null => {
  for (const key of keys) {
    const v = data[key];
    if (!Array.isArray(v)) continue;
    return v.map((x) => (typeof x === 'string' ? x : isPlainObject(x) ? (str(x.scopeValue) ?? '') : '')).filter(Boolean);
  }
  return null;
};

export function addResultOf(envelope: { outcome?: string; data?: unknown; meta?: Envelope['meta'] }): DwsAddResult {
  const data = isPlainObject(envelope.data) ? envelope.data : {};
  return {
    pending: envelope.outcome === 'pending',
    added: scopeList(data, ['addedScopeValues', 'appliedScopeValues', 'successScopeValues', 'scopeValues']),
    skipped: scopeList(data, ['skippedScopeValues', 'existedScopeValues', 'authedScopeValues']),
    rejected: scopeList(data, ['rejectedScopeValues', 'failedScopeValues']),
    message: str(data.message) ?? str(data.displayMessage) ?? str(data.errorMsg),
    nextCommand: str(envelope.meta?.operation?.next_command),
  };
}

export interface DwsOptions {
  /** The dws executable (findDws). */
  file: string;
  /** The environment dws runs with (dwsEnvironment). */
  env: Record<string, string>;
  timeoutMs?: number;
}

/** The dws commands dingtalk-doctor runs; each throws DwsFailure. */
export class Dws {
  constructor(private readonly options: DwsOptions) {}

  /** Runs dws with these arguments (no shell; stdin closed: dws never waits for a prompt). */
  run(args: readonly string[]): Promise<DwsRun> {
    const timeoutMs = this.options.timeoutMs ?? CALL_TIMEOUT_MS;
    return new Promise((resolve, reject) => {
      // child_process loads when dws runs, not at every start of the CLI
      const child = process.getBuiltinModule('node:child_process').spawn(this.options.file, args, { env: this.options.env, stdio: ['ignore', 'pipe', 'pipe'], shell: false, windowsHide: true });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let size = 0;
      let why: ErrorText | null = null;
      const stop = (reason: ErrorText) => {
        why ??= reason;
        child.kill('SIGKILL');
      };
      const take = (into: Buffer[]) => (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_OUTPUT_BYTES) return stop(errorText('err.dws.too-much-output', { mb: MAX_OUTPUT_BYTES >> 20 }));
        into.push(chunk);
      };
      child.stdout.on('data', take(out));
      child.stderr.on('data', take(err));
      const timer = setTimeout(() => stop(errorText('err.dws.timeout', { s: timeoutMs / 1000 })), timeoutMs);
      child.on('error', (error) => {
        clearTimeout(timer);
        reject(new DwsFailure('failed', errorText('err.dws.not-started', { reason: (error as NodeJS.ErrnoException).code ?? error.message })));
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        if (why) return reject(new DwsFailure('failed', errorText('err.dws.stopped', { command: `dws ${args.slice(0, 4).join(' ')}`, why })));
        resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
      });
    });
  }

  /** A `dev app` leaf's envelope; a failure (ok:false, a legacy error on stderr, no JSON) throws. */
  private async envelope(args: readonly string[], what: string): Promise<Envelope> {
    const answer = await this.run([...args, '--format', 'json']);
    // dws never receives our secrets; its text still goes through the run's redactor (the config's
    // secrets and every token), before truncation below: a secret cut in half would not be recognised.
    const clean = (s: string) => redactor.redact(s);
    const doc = jsonOf(answer.stdout);
    if (isPlainObject(doc) && typeof doc.ok === 'boolean') {
      if (doc.ok && answer.code === 0) return doc as Envelope;
      if (isPlainObject(doc.error)) throw scrubbed(failureOf(doc.error, what), clean);
      throw new DwsFailure('failed', errorText('err.dws.answered', { what, outcome: String(doc.outcome ?? 'not ok'), code: String(answer.code) }));
    }
    // Commands without the unified output print {"error":{category,code,message}} on stderr (§3.2).
    const legacy = jsonOf(answer.stderr);
    if (isPlainObject(legacy) && isPlainObject(legacy.error)) throw scrubbed(failureOf(legacy.error, what), clean);
    const said = clean(firstLine(answer.stderr) || firstLine(answer.stdout));
    throw new DwsFailure('failed', errorText(said ? 'err.dws.no-json-said' : 'err.dws.no-json', { what, exit: exitOf(answer.code), said: said.slice(0, 300) }), errorText('err.dws.older-hint'));
  }

  /** `dws auth status --format json`: exits 0 logged in or not (auth_command.go:569-576). */
  async authStatus(): Promise<AuthStatus> {
    const answer = await this.run(['auth', 'status', '--format', 'json']);
    const doc = jsonOf(answer.stdout);
    if (!isPlainObject(doc) || typeof doc.authenticated !== 'boolean') {
      const legacy = jsonOf(answer.stderr);
      if (isPlainObject(legacy) && isPlainObject(legacy.error)) throw failureOf(legacy.error, 'dws auth status');
      const said = redactor.redact(firstLine(answer.stderr));
      throw new DwsFailure('failed', errorText(said ? 'err.dws.status-no-json-said' : 'err.dws.status-no-json', { exit: exitOf(answer.code), said: said.slice(0, 300) }));
    }
    return {
      authenticated: doc.authenticated,
      user: str(doc.user_name) ?? str(doc.user_id),
      corp: str(doc.corp_name) ?? str(doc.corp_id),
      message: str(doc.message) ?? str(doc.reason),
      hint: str(doc.hint),
    };
  }

  /** `dws dev app get --app-key K`: the app's unifiedAppId, the key of every permission command (§1.5). */
  async unifiedAppId(appKey: string): Promise<string> {
    const env = await this.envelope(['dev', 'app', 'get', '--app-key', appKey], `dws dev app get --app-key ${appKey}`);
    const id = isPlainObject(env.data) ? str(env.data.unifiedAppId) : null;
    if (!id) throw new DwsFailure('failed', errorText('err.dws.no-unified-app-id', { appKey }));
    return id;
  }

  /** Every permission point of the app: `permission list`, paged with meta.pagination.next_token (§2.2 step 5). */
  async permissions(unifiedAppId: string, pageSize = PERMISSION_PAGE_SIZE): Promise<DwsPermission[]> {
    const all: DwsPermission[] = [];
    const seen = new Set<string>();
    let cursor: string | null = null;
    for (let page = 1; page <= MAX_PAGES; page++) {
      const args = ['dev', 'app', 'permission', 'list', '--unified-app-id', unifiedAppId, '--page-size', String(pageSize), ...(cursor ? ['--cursor', cursor] : [])];
      const env = await this.envelope(args, 'dws dev app permission list');
      const data = env.data;
      const items = Array.isArray(data) ? data : isPlainObject(data) && Array.isArray(data.items) ? data.items : null;
      if (!items) throw new DwsFailure('failed', errorText('err.dws.no-items', { page }));
      for (const item of items) {
        const permission = permissionOf(item);
        if (permission) all.push(permission);
      }
      const pagination = env.meta?.pagination;
      const next = pagination?.endpoint_exhausted === false ? str(pagination.next_token) : null;
      if (!next) return all;
      // The cursor is opaque (devapp.md:106); the same one twice would page forever.
      if (seen.has(next)) throw new DwsFailure('failed', errorText('err.dws.cursor-loop', { page }));
      seen.add(next);
      cursor = next;
    }
    throw new DwsFailure('failed', errorText('err.dws.too-many-pages', { max: MAX_PAGES }));
  }

  /** `permission add … --dry-run`: no remote call, no login needed (runner.go:176-185); what would be sent. */
  async addDryRun(unifiedAppId: string, scopes: readonly string[]): Promise<DwsDryRun> {
    const env = await this.envelope(addArgs(unifiedAppId, scopes, '--dry-run'), 'dws dev app permission add --dry-run');
    const invocation = isPlainObject(env.data) && isPlainObject(env.data.invocation) ? env.data.invocation : {};
    const params = isPlainObject(invocation.params) ? invocation.params : {};
    const values = Array.isArray(params.scopeValues) ? params.scopeValues.filter((v): v is string => typeof v === 'string') : [];
    return { unifiedAppId: str(params.unifiedAppId), scopeValues: values };
  }

  /** `permission add … --yes`: the request itself (only after the dry-run and the user's yes). */
  async add(unifiedAppId: string, scopes: readonly string[]): Promise<DwsAddResult> {
    return addResultOf(await this.envelope(addArgs(unifiedAppId, scopes, '--yes'), 'dws dev app permission add'));
  }
}

/** dws's exit code, or the signal's words (as a message: "on a signal"). */
const exitOf = (code: number | null): ErrorParam => (code === null ? errorText('err.dws.signal') : code);

function scrubbed(failure: DwsFailure, clean: (s: string) => string): DwsFailure {
  return new DwsFailure(failure.kind, clean(failure.message), failure.hint ? clean(failure.hint) : null, failure.type, failure.subtype);
}

/** `--scope-values` takes a comma list (devapp.go:2707-2721). */
export const addArgs = (unifiedAppId: string, scopes: readonly string[], mode: '--dry-run' | '--yes') =>
  ['dev', 'app', 'permission', 'add', '--unified-app-id', unifiedAppId, '--scope-values', scopes.join(','), mode];
