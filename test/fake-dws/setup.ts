/**
 * The fake `dws` (test/fake-dws/dws) for CLI tests: a temp directory with its state file and the
 * log of every call (arguments and the environment dws received), and the env that puts it on PATH.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FAKE_DWS_DIR = fileURLToPath(new URL('.', import.meta.url));

/** One permission item, as dws's `permission list` lists it (dws-permissions.md §2.3). */
export interface FakePermission {
  scopeValue: string;
  scopeName?: string;
  /** The fixture's spelling (devapp_table_views_test.go:73) … */
  authStatus?: 'AUTHED' | 'UNAUTHED';
  /** … or the skill's (permission.md:19-27). */
  authed?: boolean;
  requiredApproval?: boolean;
  allowedActions?: string[];
  displayMessage?: string;
}

export interface FakeDwsState {
  loggedIn: boolean;
  user?: string;
  corp?: string;
  /** Apps by AppKey / SuiteKey / Client ID. */
  apps: Record<string, { unifiedAppId: string; name?: string; permissions: FakePermission[] }>;
  /** Make a command fail like dws fails: not-developer, unknown, network, not-logged-in, garbage (no JSON), legacy (stderr error); loop: list repeats its cursor. */
  fail?: Partial<Record<'status' | 'get' | 'list' | 'add', 'not-developer' | 'unknown' | 'network' | 'not-logged-in' | 'garbage' | 'legacy' | 'loop'>>;
  /** The reply of `permission add --yes` (unknown in dws's repo): per-scope lists (default), bare {success,message}, or pending. */
  addShape?: 'lists' | 'bare' | 'pending';
}

export interface DwsCall {
  argv: string[];
  env: Record<string, string>;
}

export interface FakeDws {
  dir: string;
  /** Env entries for runCli: the fake first on PATH, its state and log. */
  env(path?: string): Record<string, string>;
  setState(state: FakeDwsState): void;
  state(): FakeDwsState;
  calls(): DwsCall[];
  /** The calls' command words, e.g. "dev app permission list". */
  commands(): string[];
  clearCalls(): void;
  remove(): void;
}

export function fakeDws(initial: FakeDwsState): FakeDws {
  const dir = mkdtempSync(join(tmpdir(), 'dd-fake-dws-'));
  const statePath = join(dir, 'state.json');
  const logPath = join(dir, 'calls.jsonl');
  const setState = (state: FakeDwsState) => writeFileSync(statePath, JSON.stringify(state, null, 2));
  setState(initial);
  writeFileSync(logPath, '');
  const calls = (): DwsCall[] =>
    readFileSync(logPath, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as DwsCall);
  return {
    dir,
    env: (path = process.env.PATH ?? '') => ({ PATH: `${FAKE_DWS_DIR}${delimiter}${path}`, FAKE_DWS_STATE: statePath, FAKE_DWS_LOG: logPath }),
    setState,
    state: () => JSON.parse(readFileSync(statePath, 'utf8')) as FakeDwsState,
    calls,
    commands: () => calls().map((c) => c.argv.slice(0, c.argv.findIndex((a) => a.startsWith('-'))).join(' ')),
    clearCalls: () => writeFileSync(logPath, ''),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
