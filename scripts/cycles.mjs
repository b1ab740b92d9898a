// `node scripts/cycles.mjs`: the import cycles in src/, twice over. The runtime ones, found from what
// esbuild itself resolves when it bundles the CLI (its metafile: static and dynamic import() both
// count, type-only imports are erased); and every import of every module, type-only ones included,
// as TypeScript reads them (a cycle of types still ties the modules' designs together). Prints
// each cycle and exits 1 if any.
import { build } from 'esbuild';
import ts from 'typescript';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

/** Tarjan's strongly connected components: every component of more than one file is a cycle. */
function cyclesOf(graph) {
  let index = 0;
  const stack = [];
  const meta = new Map();
  const cycles = [];
  function connect(v) {
    meta.set(v, { index, low: index, onStack: true });
    index++;
    stack.push(v);
    for (const w of graph.get(v) ?? []) {
      if (!meta.has(w)) {
        connect(w);
        meta.get(v).low = Math.min(meta.get(v).low, meta.get(w).low);
      } else if (meta.get(w).onStack) meta.get(v).low = Math.min(meta.get(v).low, meta.get(w).index);
    }
    if (meta.get(v).low === meta.get(v).index) {
      const component = [];
      let w;
      do {
        w = stack.pop();
        meta.get(w).onStack = false;
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(component.sort());
    }
  }
  for (const v of graph.keys()) if (!meta.has(v)) connect(v);
  return cycles;
}

// The runtime graph, as the bundle has it.
const entryPoints = ['src/cli.ts', 'src/completion/entry.ts'];
const result = await build({
  absWorkingDir: root,
  entryPoints,
  bundle: true,
  write: false,
  metafile: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  outdir: '/tmp/anchor-cycles',
  packages: 'external',
  define: { __ANCHOR_VERSION__: '"0.0.0"' },
  logLevel: 'silent',
});
const runtime = new Map();
for (const [file, input] of Object.entries(result.metafile.inputs)) {
  if (!file.startsWith('src/')) continue;
  runtime.set(
    file,
    input.imports.filter((i) => i.path.startsWith('src/')).map((i) => i.path),
  );
}

// Every module's imports, type-only ones included, as TypeScript's pre-processor lists them.
const all = new Map();
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (path.endsWith('.ts') && !path.endsWith('.d.ts')) {
      const { importedFiles } = ts.preProcessFile(readFileSync(path, 'utf8'), true, true);
      all.set(
        path,
        importedFiles
          .filter((i) => i.fileName.startsWith('.'))
          .map((i) => relative(root, resolve(dirname(path), i.fileName)).replace(/\.js$/, '.ts'))
          .filter((target) => existsSync(target)),
      );
    }
  }
};
walk('src');

const runtimeCycles = cyclesOf(runtime);
const allCycles = cyclesOf(all);
console.log(`${runtime.size} modules in src/ reached from ${entryPoints.join(' and ')}; ${all.size} modules in all`);
if (runtimeCycles.length === 0 && allCycles.length === 0) {
  console.log('no import cycle, type-only imports included');
} else {
  for (const c of runtimeCycles) console.log(`runtime cycle: ${c.join(' ↔ ')}`);
  for (const c of allCycles) console.log(`cycle (type-only imports included): ${c.join(' ↔ ')}`);
  process.exitCode = 1;
}
