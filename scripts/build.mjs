#!/usr/bin/env node
// Bundles src/ into dist/ with esbuild (code-split so heavy deps load only in the
// commands that use them), copies the catalog data and precomputes its index, and emits .d.ts
// for the library entry.
// `--if-stale` skips the work when dist/ is newer than every input (used by `npm test`).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIndex } from './build-index.mjs';
import { buildCliParts, writeWhole } from './build-parts.mjs';
import { messagesModule } from './messages-module.mjs';
import { patchCommander } from './commander-patches.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

if (process.argv.includes('--if-stale') && existsSync(join(dist, 'cli.cjs'))) {
  const inputs = Math.max(newestMtime(join(root, 'src')), statSync(join(root, 'package.json')).mtimeMs);
  if (statSync(join(dist, 'cli.cjs')).mtimeMs >= inputs) process.exit(0);
}

// No rm -rf of dist/: tests of a parallel run may be executing it; esbuild overwrites in place.
mkdirSync(dist, { recursive: true });
// The shipped compile caches were made from the build before (scripts/ship-cache.mjs, at pack time).
rmSync(join(dist, 'cache'), { recursive: true, force: true });

const common = {
  absWorkingDir: root,
  outdir: dist,
  bundle: true,
  platform: 'node',
  target: 'node20.19',
  // cosmiconfig only needs typescript to load .ts config files; keep it optional.
  external: ['typescript'],
  define: { __DD_VERSION__: JSON.stringify(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version) },
  legalComments: 'none',
  // Less to read and compile at start-up; names are kept, so --verbose stack traces stay readable.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
  metafile: true,
};

/*
 * The CLI is CommonJS, loaded by dist/boot.cjs through V8's code cache (see src/boot.ts): on
 * Node 20 only scripts, not ES modules, can be compiled with cached code, and an ESM entry alone
 * starts Node's module loader (~5 ms). Sources stay ESM; only the build output is CommonJS.
 *   dist/cli.cjs          what every command needs: commander, the program, output, messages
 *   dist/cli-<part>.cjs   the rest of our code, in parts: a command's, or what several share
 *                         (scripts/build-parts.mjs), each loaded (code-cached) by the run that needs it
 *   dist/lazy/<name>.cjs  the heavy parts (and chalk, for a coloured run), each loaded (also code-cached) by the first
 *                         `await import()` of it, so `diagnose` never compiles undici or zod
 */
const LAZY = {
  chalk: 'chalk',
  cosmiconfig: 'cosmiconfig',
  yaml: 'yaml',
  ignore: 'ignore',
  ora: 'ora',
  schema: './src/config/schema.ts',
  'undici-lite': './src/dingtalk/undici-lite.ts',
};
const lazyNameOf = (specifier, resolveDir) => {
  for (const [name, target] of Object.entries(LAZY)) {
    if (specifier === target) return name;
    if (target.startsWith('./') && specifier.startsWith('.') && join(resolveDir, specifier.replace(/\.js$/, '.ts')) === join(root, target)) return name;
  }
  return undefined;
};
const cjsCommon = {
  ...common,
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  // data-dir.ts finds the catalog relative to its own file
  define: { ...common.define, 'import.meta.dirname': '__dirname' },
};

/**
 * A build-time edit of one file of a dependency. When an update of the dependency makes the edit
 * miss, the build fails here rather than the CLI at a user's.
 */
const patchDependency = (name, filter, patch) => ({
  name,
  setup(b) {
    b.onLoad({ filter }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const patched = patch(source);
      if (patched === source) throw new Error(`${name}: the dependency changed, nothing to patch in ${args.path}`);
      return { contents: patched, loader: 'js' };
    });
  },
});

/*
 * Code run from a vm.Script cannot use import() on Node 20 without an experimental flag, so the
 * one library that needs it (cosmiconfig, for .mjs/.js ES module config files and the optional
 * typescript) calls boot.cjs's importModule instead; boot.cjs is loaded by plain require.
 */
const cosmiconfigImports = patchDependency('cosmiconfig-imports', /[\\/]cosmiconfig[\\/]dist[\\/]loaders\.js$/,
  (source) => source.replace(/\bimport\(/g, "require('../boot.cjs').importModule("));

/** The message tables (src/messages/*.json) as line tables read by binary search: scripts/messages-module.mjs. */
const messagesAsLines = {
  name: 'messages-as-lines',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]messages[\\/][^\\/]+\.json$/ }, (args) => ({
      contents: messagesModule(JSON.parse(readFileSync(args.path, 'utf8')), args.path),
      loader: 'js',
    }));
  },
};

/** boot.cjs is required at run time, from dist/ or dist/lazy/, never bundled. */
const bootStaysExternal = {
  name: 'boot-stays-external',
  setup(b) {
    b.onResolve({ filter: /^\.\.?\/boot\.cjs$/ }, (args) => ({ path: args.path, external: true }));
  },
};

/**
 * What boot.cjs compiles is the module function itself, written here, so that boot hands V8 the
 * file's text as it read it: wrapping it at run time (Module.wrap) made a second copy of every file
 * when V8 flattened the concatenation (≈ 1.7 M instructions and 400 KB of heap for a diagnose). The
 * function is in parentheses, as Node's wrapper is, so that a first run compiles it eagerly; and
 * a plain require of the file (bench/compile-cache.mjs, Node's own cache) still runs it.
 */
const MODULE_HEAD = "(function (f) { return typeof module == 'object' && typeof require == 'function' ? f.call(exports, exports, require, module, __filename, __dirname) : f; })((function (exports, require, module, __filename, __dirname) {";
const MODULE_TAIL = '\n}))';

// 1. The lazy parts, each re-exporting its module's whole namespace (default included). Each is
// written whole, in its final form (see bootReady): a run of a parallel test may be loading it.
const lazy = await build({
  ...cjsCommon,
  write: false,
  entryPoints: Object.keys(LAZY).map((name) => ({ in: `dd-lazy-entry:${name}`, out: `lazy/${name}` })),
  plugins: [cosmiconfigImports, bootStaysExternal, {
    name: 'lazy-entries',
    setup(b) {
      b.onResolve({ filter: /^dd-lazy-entry:/ }, (args) => ({ path: args.path.slice('dd-lazy-entry:'.length), namespace: 'dd-lazy-entry' }));
      b.onLoad({ filter: /.*/, namespace: 'dd-lazy-entry' }, (args) => {
        const target = JSON.stringify(LAZY[args.path]);
        // `export *` leaves out a package's default export (our own modules have none)
        const withDefault = LAZY[args.path].startsWith('./') ? '' : ` export { default } from ${target};`;
        return { contents: `export * from ${target};${withDefault}`, resolveDir: root, loader: 'js' };
      });
    },
  }],
});

/*
 * commander requires node:child_process at load, for executable subcommands we never use; loading
 * it pulls in net and stream too, ~10 ms of every start. Defer it to the first spawn().
 */
const commanderLazyChildProcess = patchDependency('commander-lazy-child-process', /[\\/]commander[\\/]lib[\\/]command\.js$/,
  (source) => patchCommander('command.js', source.replace("const childProcess = require('node:child_process');", "const childProcess = { spawn: (...a) => require('node:child_process').spawn(...a) };")));
/** commander's option patterns as string code (scripts/commander-patches.mjs; command.js's are patched above). */
const commanderOptionPatterns = patchDependency('commander-option-patterns', /[\\/]commander[\\/]lib[\\/]option\.js$/, (source) => patchCommander('option.js', source));

for (const file of lazy.outputFiles) writeWhole(file.path, bootReady(file.path, file.text), true);

// Each lazy file's export names, so the CLI's import() of it yields the same namespace.
const requireDist = createRequire(join(dist, 'x.cjs'));
const exportNames = Object.fromEntries(Object.keys(LAZY).map((name) => {
  const path = join(dist, 'lazy', `${name}.cjs`);
  delete requireDist.cache[path];
  return [name, Object.keys(requireDist(path)).filter((key) => key !== '__esModule')];
}));

/**
 * An `await import()` of a lazy part: a require of its file, dist/lazy/<name>.cjs (src/boot.ts loads
 * it through the code cache), as an ES module of its exports (a CommonJS stub would be read the
 * Node way: the whole exports object as the default).
 */
const lazyImports = {
  name: 'lazy-imports',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind !== 'dynamic-import') return undefined;
      const name = lazyNameOf(args.path, args.resolveDir);
      return name ? { path: name, namespace: 'dd-lazy' } : undefined;
    });
    b.onLoad({ filter: /.*/, namespace: 'dd-lazy' }, (args) => {
      const lines = [`const m = require(${JSON.stringify(`./lazy/${args.path}.cjs`)});`];
      for (const key of exportNames[args.path]) {
        if (key === 'default') lines.push('export default m.default;');
        else if (/^[A-Za-z_$][\w$]*$/.test(key)) lines.push(`export const ${key} = m[${JSON.stringify(key)}];`);
      }
      return { contents: lines.join('\n'), loader: 'js' };
    });
    b.onResolve({ filter: /^\.\/lazy\/[\w-]+\.cjs$/ }, (args) => (args.namespace === 'dd-lazy' ? { path: args.path, external: true } : undefined));
  },
};

// What boot.cjs compiles must not call import() (see cosmiconfigImports): fail here, not at a user's.
function assertNoImport(file, source) {
  const at = source.search(/\bimport\(/);
  if (at !== -1) throw new Error(`${file} calls import() (at ${at}); code loaded by boot.cjs cannot: route it through importModule`);
}

/*
 * ASCII-only output: esbuild escapes non-ASCII in strings but leaves it in regular expression
 * literals (our Chinese wordings), and one such character makes V8 hold the whole 400 KB source
 * as a two-byte string, decoded from UTF-8 at every start (≈ 2 % of `diagnose`'s instructions).
 * `\uXXXX` means the same in a string, a template, a regular expression and an identifier; a
 * character after a backslash would not, so that case fails the build.
 */
function asciiOnly(file, source) {
  return source.replace(/(\\*)([^\x00-\x7f])/g, (match, slashes, char, at) => {
    if (slashes.length % 2 === 1) throw new Error(`${file}: an escaped non-ASCII character at ${at}; cannot make the output ASCII`);
    return slashes + [...char].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
  });
}

/** A file boot.cjs compiles: no import(), ASCII only, its module function around it (see MODULE_HEAD). */
function bootReady(file, source) {
  assertNoImport(file, source);
  if (source.startsWith(MODULE_HEAD)) return source; // this build's already (lazy/ files: esbuild's output is read back)
  return MODULE_HEAD + asciiOnly(file, source) + MODULE_TAIL;
}

// 2. The CLI, in parts: a run loads the code of its command only (scripts/build-parts.mjs).
const cli = await buildCliParts({
  options: { ...cjsCommon, plugins: [commanderLazyChildProcess, commanderOptionPatterns, bootStaysExternal, messagesAsLines, lazyImports] },
  root,
  dist,
  entry: 'src/cli.ts',
  // what several commands share goes with the first of these that uses it: diagnose loads fewest files
  priority: ['src/commands/diagnose.ts', 'src/commands/scopes.ts', 'src/commands/check-run.ts'],
  // commander and the program: every run loads it but a plain `diagnose` or `scopes` question (src/cli.ts)
  program: 'src/program.ts',
  finish: bootReady,
});
// dist/boot.cjs is also the installed package's bin (package.json): one require fewer than
// bin/dingtalk-doctor.cjs → boot.cjs, whose first require compiles Node's loader path (≈ 1.8 M instructions)
const boot = await build({ ...cjsCommon, write: false, entryPoints: { boot: 'src/boot.ts' }, banner: { js: '#!/usr/bin/env node' } });
for (const file of boot.outputFiles) writeWhole(file.path, asciiOnly(file.path, file.text), true);

// The library entry: ESM (package.json "exports"), one self-contained file.
const lib = await build({ ...common, format: 'esm', entryPoints: { index: 'src/index.ts' }, splitting: false,
  // Bundled CommonJS deps call require(); give ESM output a real one.
  banner: { js: "import { createRequire as __ddCreateRequire } from 'node:module'; const require = __ddCreateRequire(import.meta.url);" } });
const result = { metafile: { outputs: { ...lazy.metafile.outputs, ...cli.outputs, ...boot.metafile.outputs, ...lib.metafile.outputs } } };

// Drop files of earlier builds so `npm pack` ships only this build (chunks/ and cli.js: the ESM build).
const made = new Set(Object.keys(result.metafile.outputs).map((p) => join(root, p)));
for (const name of readdirSync(join(dist, 'lazy'))) if (!made.has(join(dist, 'lazy', name))) rmSync(join(dist, 'lazy', name), { force: true });
// (the CLI's chunks of an earlier build: their names hold a hash of their content)
for (const name of readdirSync(dist)) if (name.endsWith('.cjs') && !made.has(join(dist, name))) rmSync(join(dist, name), { force: true });
for (const old of ['chunks', 'cli.js']) rmSync(join(dist, old), { recursive: true, force: true });

const dataSrc = join(root, 'src', 'data');
if (existsSync(dataSrc)) {
  cpSync(dataSrc, join(dist, 'data'), { recursive: true });
  // the catalog's lookups precomputed over those tables (dist/data/index.json; see the script)
  await buildIndex({ dataDir: dataSrc, outDir: join(dist, 'data') });
}

execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
