/**
 * The file walker of `scopes scan`: the only part of src/scan that touches the disk (besides
 * write-config.ts). Streams the tree (constant memory: a stack of directories, never a list
 * of all files), honours .gitignore files, skips dependency/build dirs, binaries and huge
 * files, and never follows a symlink (so it can never leave the tree it was given).
 */
import { lstat, open, opendir, readFile, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { extOf } from './extract.js';

/** Directories that hold dependencies, build output or VCS data, never the project's own calls. */
export const SKIP_DIRS = new Set([
  'node_modules', 'dist', 'build', 'vendor', '.git', '.hg', '.svn', 'bower_components', 'target', 'out',
  '.next', '.nuxt', '.output', 'coverage', '__pycache__', '.venv', 'venv', 'site-packages', '.tox', '.gradle',
  '.idea', '.mvn', '.cache', '.turbo', '.yarn', '.pnpm-store', 'Pods', 'DerivedData',
]);

/** Source and config files worth reading; everything else (docs, images, archives, lockfiles) is skipped by name. */
export const TEXT_EXTS = new Set([
  'js', 'jsx', 'mjs', 'cjs', 'ts', 'tsx', 'mts', 'cts', 'vue', 'svelte', 'java', 'kt', 'kts', 'scala', 'groovy',
  'py', 'pyi', 'go', 'cs', 'php', 'rb', 'rs', 'swift', 'dart', 'c', 'h', 'cc', 'cpp', 'hpp', 'm', 'sh', 'bash',
  'zsh', 'yaml', 'yml', 'toml', 'json', 'properties', 'env', 'xml', 'html', 'htm', 'ini', 'conf', 'cfg', 'sql',
  'lua', 'ex', 'exs', 'pl', 'r',
]);

const SKIP_FILES = /\.min\.js$|\.bundle\.js$|(^|\/)(package-lock|npm-shrinkwrap|composer-lock)\.json$/;

export interface WalkOptions {
  /** Files bigger than this are skipped unread (default 1 MiB). */
  maxBytes?: number;
  /** Files read at once (default 32). */
  concurrency?: number;
  /** Base for the relative paths handed to `visit` (default cwd). */
  cwd?: string;
}

export interface WalkStats {
  /** Text files read. */
  files: number;
  bytes: number;
  skipped: { ignored: number; binary: number; large: number; symlinks: number; unreadable: number };
}

type Ignore = import('ignore').Ignore;
interface Rules {
  base: string;
  ig: Ignore;
}

const toPosix = (p: string) => (sep === '/' ? p : p.split(sep).join('/'));

/**
 * git semantics, approximately: rules of deeper .gitignore files win over shallower ones;
 * within one file the last matching rule wins (the `ignore` package does that part).
 */
function isIgnored(chain: Rules[], abs: string, isDir: boolean): boolean {
  let ignored = false;
  for (const { base, ig } of chain) {
    const rel = toPosix(relative(base, abs));
    if (!rel || rel.startsWith('..')) continue;
    const r = ig.test(isDir ? `${rel}/` : rel);
    if (r.ignored) ignored = true;
    else if (r.unignored) ignored = false;
  }
  return ignored;
}

async function loadIgnore(dir: string, makeIgnore: () => Ignore): Promise<Rules | null> {
  try {
    const text = await readFile(join(dir, '.gitignore'), 'utf8');
    return { base: dir, ig: makeIgnore().add(text) };
  } catch {
    return null;
  }
}

/** .gitignore files between the enclosing git work tree's top and `root` (exclusive), so scanning `src/` honours the repo's rules. */
async function parentRules(root: string, makeIgnore: () => Ignore): Promise<Rules[]> {
  const dirs: string[] = [];
  let dir = dirname(root);
  let top: string | null = null;
  for (let probe = root; ; probe = dirname(probe)) {
    if (await lstat(join(probe, '.git')).then(() => true, () => false)) {
      top = probe;
      break;
    }
    if (dirname(probe) === probe) break;
  }
  if (!top || top === root) return [];
  while (true) {
    dirs.unshift(dir);
    if (dir === top || dirname(dir) === dir) break;
    dir = dirname(dir);
  }
  const rules: Rules[] = [];
  for (const d of dirs) {
    const r = await loadIgnore(d, makeIgnore);
    if (r) rules.push(r);
  }
  return rules;
}

interface FileJob {
  abs: string;
}

/** Files to read, depth first, lazily: memory is bounded by the directory stack, not the tree size. */
async function* files(root: string, chain0: Rules[], stats: WalkStats, makeIgnore: () => Ignore): AsyncGenerator<FileJob> {
  const stack: Array<{ dir: string; chain: Rules[] }> = [{ dir: root, chain: chain0 }];
  while (stack.length > 0) {
    const { dir, chain: parent } = stack.pop()!;
    let handle;
    try {
      handle = await opendir(dir, { bufferSize: 256 });
    } catch {
      stats.skipped.unreadable++;
      continue;
    }
    const entries: Array<{ name: string; dir: boolean }> = [];
    let hasIgnoreFile = false;
    for await (const entry of handle) {
      if (entry.isSymbolicLink()) {
        // Never followed: a link may point out of the tree (or loop).
        stats.skipped.symlinks++;
        continue;
      }
      if (entry.name === '.gitignore') hasIgnoreFile = true;
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name)) entries.push({ name: entry.name, dir: true });
      } else if (entry.isFile()) {
        entries.push({ name: entry.name, dir: false });
      }
    }
    let chain = parent;
    if (hasIgnoreFile) {
      const rules = await loadIgnore(dir, makeIgnore);
      if (rules) chain = [...parent, rules];
    }
    const subdirs: string[] = [];
    for (const entry of entries) {
      const abs = join(dir, entry.name);
      if (!entry.dir && (!TEXT_EXTS.has(extOf(entry.name)) || SKIP_FILES.test(entry.name))) continue;
      if (chain.length > 0 && isIgnored(chain, abs, entry.dir)) {
        stats.skipped.ignored++;
        continue;
      }
      if (entry.dir) subdirs.push(abs);
      else yield { abs };
    }
    // Reverse so that directories are visited in name order (stack is LIFO).
    for (const d of subdirs.sort().reverse()) stack.push({ dir: d, chain });
  }
}

/** Reads one file unless it is too big or binary (NUL byte in the first 8 KiB). */
async function readText(abs: string, maxBytes: number, stats: WalkStats): Promise<string | null> {
  let fh;
  try {
    fh = await open(abs, 'r');
    const { size } = await fh.stat();
    if (size > maxBytes) {
      stats.skipped.large++;
      return null;
    }
    const buf = Buffer.allocUnsafe(size);
    let got = 0;
    while (got < size) {
      const { bytesRead } = await fh.read(buf, got, size - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    const data = buf.subarray(0, got);
    const nul = data.indexOf(0);
    if (nul >= 0 && nul < 8192) {
      stats.skipped.binary++;
      return null;
    }
    stats.files++;
    stats.bytes += got;
    return data.toString('utf8');
  } catch {
    stats.skipped.unreadable++;
    return null;
  } finally {
    await fh?.close();
  }
}

/** Thrown for a root that does not exist; the command maps it to exit 2. */
export class MissingRootError extends Error {
  constructor(readonly root: string) {
    super(`no such directory: ${root}`);
  }
}

/**
 * Walks every root and calls `visit(relativePath, text)` for each readable text file, with at
 * most `concurrency` reads in flight. A root may also be a single file.
 */
export async function walkSources(
  roots: string[],
  visit: (file: string, text: string) => void,
  options: WalkOptions = {},
): Promise<WalkStats> {
  const cwd = options.cwd ?? process.cwd();
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  const concurrency = Math.max(1, options.concurrency ?? 32);
  const stats: WalkStats = { files: 0, bytes: 0, skipped: { ignored: 0, binary: 0, large: 0, symlinks: 0, unreadable: 0 } };
  const ignoreModule = await import('ignore');
  const makeIgnore = () => ignoreModule.default();
  const seen = new Set<string>();

  for (const given of roots) {
    const root = resolve(cwd, given);
    const info = await stat(root).catch(() => null);
    if (!info) throw new MissingRootError(given);
    if (seen.has(root)) continue;
    seen.add(root);
    const rel = (abs: string) => toPosix(relative(cwd, abs)) || '.';
    if (info.isFile()) {
      const text = await readText(root, maxBytes, stats);
      if (text !== null) visit(rel(root), text);
      continue;
    }
    const iterator = files(root, await parentRules(root, makeIgnore), stats, makeIgnore);
    const worker = async () => {
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        const text = await readText(next.value.abs, maxBytes, stats);
        if (text !== null) visit(rel(next.value.abs), text);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  }
  return stats;
}
