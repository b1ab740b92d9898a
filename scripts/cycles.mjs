// `node scripts/cycles.mjs`: the runtime import cycles in src/, found from what esbuild itself
// resolves when it bundles the CLI (its metafile). Type-only imports are erased before that, so
// they do not count; static and dynamic import() both do. Prints each cycle and exits 1 if any.
import { build } from 'esbuild';

const entryPoints = ['src/cli.ts', 'src/completion/entry.ts'];
const result = await build({
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

const graph = new Map();
for (const [file, input] of Object.entries(result.metafile.inputs)) {
  if (!file.startsWith('src/')) continue;
  graph.set(
    file,
    input.imports.filter((i) => i.path.startsWith('src/')).map((i) => i.path),
  );
}

// Tarjan's strongly connected components: every component of more than one file is a cycle.
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

console.log(`${graph.size} modules in src/ reached from ${entryPoints.join(' and ')}`);
if (cycles.length === 0) {
  console.log('no runtime import cycle');
} else {
  for (const c of cycles) console.log(`cycle: ${c.join(' ↔ ')}`);
  process.exitCode = 1;
}
