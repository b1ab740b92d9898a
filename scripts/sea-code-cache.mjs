// Run by the Node that the single executable is made of (scripts/build-binary.mjs): writes a V8
// code cache of each script the binary embeds, compiled as bin/sea-main.cjs compiles it (the same
// function wrapper, the shebang removed), to `<out>/<name>.cache`. V8 accepts a cache only from
// the same V8 build and flags, which the binary shares with this Node; one it rejects costs only
// the compile the binary would have done anyway.
// Usage: node sea-code-cache.mjs <out> <scripts.json>, a JSON object of asset names and paths.
import fs from 'node:fs';
import Module from 'node:module';
import path from 'node:path';
import vm from 'node:vm';

const [out, list] = process.argv.slice(2);
for (const [name, file] of Object.entries(JSON.parse(fs.readFileSync(list, 'utf8')))) {
  const source = fs.readFileSync(file, 'utf8').replace(/^#!.*/, '');
  const script = new vm.Script(Module.wrap(source), { filename: name });
  fs.mkdirSync(path.dirname(path.join(out, name)), { recursive: true });
  fs.writeFileSync(path.join(out, `${name}.cache`), script.createCachedData());
}
