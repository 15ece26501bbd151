/**
 * The CLI's CommonJS build in parts (used by scripts/build.mjs): a run loads only the code of the
 * command it runs. Every `await import()` of our own code (a command's module, `diagnose --replay`'s)
 * starts a part of its own; a module belongs to exactly one part, so module state (render/output's
 * sink, the catalog's singletons) exists once.
 *
 * esbuild splits ES modules only, and its chunks go by the exact set of entries that reach a
 * module: a `diagnose` run loaded 23 files. So the parts are chosen here, from the module graph,
 * and each is bundled as CommonJS on its own:
 *   cli.cjs                 everything src/cli.ts imports statically (output, messages), what the
 *                           first of PRIORITY (diagnose) shares with other commands, and what
 *                           PROGRAM (src/program.ts: commander's side) shares with any of them
 *   cli-<root>.cjs          what only that dynamic import (e.g. commands/diagnose) uses
 *   cli-shared-<root>.cjs   what several other parts use, kept with the first of them in PRIORITY
 *                           order (so `diagnose`, the hot path, loads two files)
 * A module of another part is imported as `require('./cli-<part>.cjs').<module id>`: that part
 * exports the namespace of each of its modules others use. The require is a plain one (a plain
 * `require('dist/cli.cjs')` runs, as bench/compile-cache.mjs does on Node 22); boot.cjs gives the files
 * it loads a require that loads our parts through its code cache (src/boot.ts).
 */
import { build } from 'esbuild';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const STATIC_KINDS = new Set(['import-statement', 'require-call']);

/** A part's or a module's name in file names and export names: its path in src/ (or node_modules/). */
const slug = (path) => path.replace(/^src\//, '').replace(/\.[cm]?[jt]sx?$|\.json$/, '').replace(/[^A-Za-z0-9]+/g, '-');
const moduleId = (path) => `m_${path.replace(/[^A-Za-z0-9]/g, '_')}`;

/** The module graph esbuild sees (same plugins, nothing written): our modules and what imports what. */
async function moduleGraph(options) {
  const { metafile } = await build({ ...options, write: false, metafile: true, outdir: '/dd-graph', format: 'esm', splitting: true });
  // files only: a plugin's virtual module (`dd-lazy:yaml`) is bundled into each part that imports it
  const isFile = (path) => Boolean(metafile.inputs[path]) && !/^[\w-]+:/.test(path);
  const edges = {};
  for (const [path, input] of Object.entries(metafile.inputs)) {
    if (isFile(path)) edges[path] = input.imports.filter((i) => !i.external && isFile(i.path)).map((i) => ({ path: i.path, kind: i.kind }));
  }
  return edges;
}

/**
 * Which part each module belongs to (see the file comment). `priority`: command modules, hottest
 * first. `program`: the part nearly every run loads (commander's side: all but a plain `diagnose`),
 * so what it shares with any other part goes into cli.cjs.
 */
export function assignParts(edges, entry, priority, program) {
  const closure = (root) => {
    const seen = new Set();
    const visit = (m) => {
      if (seen.has(m)) return;
      seen.add(m);
      for (const e of edges[m]) if (STATIC_KINDS.has(e.kind)) visit(e.path);
    };
    visit(root);
    return seen;
  };
  const dynamicRoots = [...new Set(Object.values(edges).flatMap((list) => list.filter((e) => e.kind === 'dynamic-import').map((e) => e.path)))];
  const rank = (root) => (priority.includes(root) ? priority.indexOf(root) : priority.length + dynamicRoots.indexOf(root));
  const roots = dynamicRoots.filter((r) => r !== entry).sort((a, b) => rank(a) - rank(b));
  const always = closure(entry);
  const reach = roots.map((root) => [root, closure(root)]);
  const part = {};
  for (const m of Object.keys(edges)) {
    if (always.has(m)) part[m] = 'cli';
    else {
      const users = reach.filter(([, set]) => set.has(m)).map(([root]) => root);
      if (users.length === 0) continue;
      if (users.length > 1 && users.includes(program)) {
        part[m] = 'cli';
        continue;
      }
      // A command of `priority` keeps with its own code what it shares with others but not with the
      // next command in that order: that command does not load it, and this one loads a file less.
      const next = priority.includes(users[0]) ? priority[priority.indexOf(users[0]) + 1] : undefined;
      const alone = users.length === 1 || (next !== undefined && !users.includes(next));
      // What the first command (diagnose, the hot path) shares goes into cli.cjs: one file fewer for
      // diagnose and the scopes questions (≈ 0.7 M instructions a file), ≈ 1.7 M more for a `--version`.
      part[m] = alone ? `cli-${slug(users[0])}` : users[0] === priority[0] ? 'cli' : `cli-shared-${slug(users[0])}`;
    }
  }
  return part;
}

/** The edges that cross parts; the build supports only ES imports across parts (a CommonJS require would need module.exports itself). */
function crossEdges(edges, part) {
  const cross = [];
  for (const [from, list] of Object.entries(edges)) {
    for (const e of list) {
      if (part[from] === part[e.path]) continue;
      if (!['import-statement', 'dynamic-import'].includes(e.kind)) throw new Error(`build-parts: ${from} reaches ${e.path} (${part[e.path]}) by ${e.kind}; only import/import() may cross parts`);
      cross.push({ from, to: e.path, kind: e.kind });
    }
  }
  // A part requires another while it loads, and reads that one's exports then: so no cycle of them.
  const needs = new Map();
  for (const { from, to, kind } of cross) if (kind === 'import-statement') needs.set(part[from], new Set([...(needs.get(part[from]) ?? []), part[to]]));
  const state = new Map();
  const visit = (p, path) => {
    if (state.get(p) === 'done') return;
    if (state.get(p) === 'open') throw new Error(`build-parts: the parts import each other: ${[...path, p].join(' → ')}`);
    state.set(p, 'open');
    for (const q of needs.get(p) ?? []) visit(q, [...path, p]);
    state.set(p, 'done');
  };
  for (const p of needs.keys()) visit(p, []);
  return cross;
}

/**
 * Builds dist/cli.cjs and its parts; `options`: esbuild's (CommonJS, with the CLI's plugins);
 * `finish(file, text)`: the text to write. Returns the metafile outputs and the files.
 */
export async function buildCliParts({ options, root, dist, entry, priority, program, finish }) {
  const edges = await moduleGraph({ ...options, entryPoints: [entry] });
  const part = assignParts(edges, entry, priority, program);
  const exported = new Map(); // part → modules others import from it
  for (const { to } of crossEdges(edges, part)) {
    if (!exported.has(part[to])) exported.set(part[to], new Set());
    exported.get(part[to]).add(to);
  }
  const names = await exportNames(options, [...exported.values()].flatMap((set) => [...set]), root);
  const parts = [...new Set(Object.values(part))];
  const outputs = {};
  // the entry last: a run that starts while this build writes finds the parts its cli.cjs names
  for (const name of [...parts.filter((p) => p !== 'cli'), 'cli']) {
    // each module others import, as a plain object of its exports (read once there; getters of a
    // namespace object cost at every part's start)
    const lines = [...(exported.get(name) ?? [])].flatMap((m, i) => [
      `import * as ns${i} from ${JSON.stringify(join(root, m))};`,
      `export const ${moduleId(m)} = { ${names[m].map((n) => `${n}: ns${i}.${n}`).join(', ')} };`,
    ]);
    if (name === 'cli') lines.push(`import ${JSON.stringify(join(root, entry))};`);
    const result = await build({
      ...options,
      entryPoints: [{ in: 'dd-part-entry', out: name }],
      metafile: true,
      write: false,
      plugins: [...options.plugins, partEntry(lines.join('\n'), root), otherParts(name, part, names, root, dist)],
    });
    Object.assign(outputs, result.metafile.outputs);
    for (const file of result.outputFiles) writeWhole(file.path, finish(file.path, file.text), name !== 'cli');
  }
  return { outputs, files: parts.map((p) => join(dist, `${p}.cjs`)) };
}

/**
 * A run of the CLI may be loading dist/ while this build writes it (tests of a parallel `npm test`):
 * each file is replaced whole (write, then rename), and a part whose text did not change is left as it
 * is (a run never sees a new cli.cjs with an old part of another build). cli.cjs is always written: its
 * time says when dist/ was built (`--if-stale`).
 */
export function writeWhole(path, text, skipSame) {
  if (skipSame && existsSync(path) && readFileSync(path, 'utf8') === text) return;
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

const partEntry = (contents, root) => ({
  name: 'dd-part-entry',
  setup(b) {
    b.onResolve({ filter: /^dd-part-entry$/ }, () => ({ path: 'dd-part-entry', namespace: 'dd-part-entry' }));
    b.onLoad({ filter: /.*/, namespace: 'dd-part-entry' }, () => ({ contents, resolveDir: root, loader: 'js' }));
  },
});

/**
 * The export names of each module another part imports, from esbuild (an ESM build of them all).
 * Those parts read them once, as constants (no getter at every use): so such a module must not
 * export a binding it reassigns later, checked here in its source.
 */
async function exportNames(options, modules, root) {
  const { metafile } = await build({ ...options, entryPoints: modules, write: false, metafile: true, outdir: '/dd-exports', format: 'esm', splitting: true, outExtension: {} });
  const names = {};
  for (const output of Object.values(metafile.outputs)) if (output.entryPoint) names[output.entryPoint] = output.exports;
  for (const m of modules) {
    if (!names[m]) throw new Error(`build-parts: no exports found for ${m}`);
    if (/^\s*export\s+(let|var)\b/m.test(readFileSync(join(root, m), 'utf8'))) throw new Error(`build-parts: ${m} exports a let/var; another part reads its exports once`);
    const odd = names[m].find((n) => !/^[A-Za-z_$][\w$]*$/.test(n));
    if (odd) throw new Error(`build-parts: ${m} exports "${odd}", not an identifier`);
  }
  return names;
}

/** The stub of a module of another part: an ES module of its exports, read once from that part's file. */
function stubOf(owner, module, names) {
  const ns = `require(${JSON.stringify(`./${owner}.cjs`)}).${moduleId(module)}`;
  const lines = [`const ns = ${ns};`];
  for (const n of names) lines.push(n === 'default' ? 'export default ns.default;' : `export const ${n} = ns.${n};`);
  return lines.join('\n');
}

/** An import of a module of another part: that part's file, and the module's namespace in it. */
function otherParts(name, part, names, root, dist) {
  return {
    name: 'dd-other-parts',
    setup(b) {
      b.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData?.ddInner || args.kind === 'entry-point' || args.namespace !== 'file' && args.namespace !== 'dd-part-entry') return undefined;
        const resolved = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: { ddInner: true } });
        if (resolved.errors.length || resolved.external || resolved.namespace !== 'file') return undefined;
        const module = relative(root, resolved.path).replaceAll('\\', '/');
        const owner = part[module];
        if (owner === undefined || owner === name) return undefined;
        return { path: module, namespace: 'dd-other-part', pluginData: { owner } };
      });
      b.onLoad({ filter: /.*/, namespace: 'dd-other-part' }, (args) => ({
        contents: stubOf(part[args.path], args.path, names[args.path]),
        resolveDir: dist,
        loader: 'js',
      }));
      b.onResolve({ filter: /^\.\/cli(-[\w-]+)?\.cjs$/ }, (args) => (args.namespace === 'dd-other-part' ? { path: args.path, external: true } : undefined));
    },
  };
}
