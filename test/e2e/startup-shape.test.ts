// What the built binary loads at start, asserted from its structure (the benchmark times it): the
// entry's modules in one shared chunk (named, module by module, from esbuild's metafile of a build
// run from another working directory), no child_process or http for commands that do not use
// them, chalk only for output that gets colour, and a command line that makes only its own
// command's declaration.
import { spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  cpSync,
  existsSync,
  openSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  writeFileSync,
  mkdtempSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, isolatedEnv } from '../helpers/bin.js';

// A preload that writes, at exit, the Node built-ins and the files the process loaded (the bundle
// is CommonJS: every file of it that ran is in require.cache).
const dir = mkdtempSync(join(tmpdir(), 'anchor-startup-'));
const preload = join(dir, 'loaded.cjs');
writeFileSync(
  preload,
  `process.on('exit', () => require('node:fs').writeSync(3, JSON.stringify({ builtins: process.moduleLoadList, files: Object.keys(require.cache) })));\n`,
);

function loaded(
  args: string[],
  env = isolatedEnv(),
  stdout: 'pipe' | number = 'pipe',
): Promise<{ builtins: string[]; files: string[]; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--require', preload, BIN, ...args], {
      env,
      // stdout a pipe, as when a program reads it, unless a descriptor is given (/dev/null).
      stdio: ['ignore', stdout, 'pipe', 'pipe'],
    });
    child.stdout?.resume();
    let out = '';
    child.stdio[3]!.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const { builtins, files } = JSON.parse(out) as { builtins: string[]; files: string[] };
      resolve({ code, files, builtins: builtins.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13)) });
    });
  });
}

/** The chunks a file of the bundle requires at load (`var x=require(…)`; a lazy one is in a promise). */
const staticChunks = (file: string) =>
  [...readFileSync(join(ROOT, 'dist', file), 'utf8').matchAll(/var \w+=require\("\.\/(chunks\/[^"]+)"\)/g)].map(
    (m) => m[1],
  );

describe('startup shape of the built binary', () => {
  it('the entry loads one shared chunk (the modules every command line needs) and the bundler runtime', () => {
    const chunks = staticChunks('cli.cjs');
    expect(chunks).toHaveLength(2);
    const sizes = chunks.map((c) => readFileSync(join(ROOT, 'dist', c!)).length).sort((a, b) => a - b);
    expect(sizes[0]).toBeLessThan(4_000); // esbuild's helpers (__commonJS, __toESM)
  });

  it('runs as CommonJS (no file of the bundle is an ES module): Node 20 never starts its ES module loader', async () => {
    const walk = (d: string): string[] =>
      readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [e.name]));
    const code = walk(join(ROOT, 'dist')).filter((f) => /\.(c|m)?js$/.test(f));
    expect(code.length).toBeGreaterThan(10);
    expect(code.filter((f) => !f.endsWith('.cjs'))).toEqual([]);
    const r = await loaded(['events', 'list', '--json']);
    expect(r.code).toBe(0);
    const ran = r.files.filter((f) => f.includes('/dist/'));
    expect(ran.some((f) => f.endsWith('/dist/cli.cjs'))).toBe(true);
    expect(ran.length).toBeGreaterThan(2); // its chunks, required (an ES module would not be in require.cache)
  });

  it('events list loads neither child_process nor http (commander spawns only for subcommand files)', async () => {
    const r = await loaded(['events', 'list', '--json']);
    expect(r.code).toBe(0);
    expect(r.builtins).toContain('fs'); // the list is real
    expect(r.builtins).not.toContain('child_process');
    expect(r.builtins).not.toContain('http');
    // No start-up module imports node:fs as an ES module: Node's facade of fs reads every export,
    // and so loads the file streams (~5 ms on Node 20) that a command like this never uses.
    expect(r.builtins).not.toContain('internal/fs/streams');
  });

  it('received loads no http (its failures resolved by replays are worked out without the HTTP client)', async () => {
    const r = await loaded(['webhooks', 'received', '--json']);
    expect(r.code).toBe(0);
    expect(r.builtins).toContain('fs');
    expect(r.builtins).not.toContain('http'); // net comes with stdout, a pipe here
  });

  it('verify loads neither the config nor the forwarding secret (it checks with an explicit secret only)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'anchor-startup-verify-'));
    const payload = join(dir, 'body.json');
    writeFileSync(payload, '{}');
    const r = await loaded(
      ['webhooks', 'verify', '--signature', 't=1,v1=00', '--timestamp', '1', '--payload', payload],
      isolatedEnv({ ANCHOR_WEBHOOK_SECRET: 'whsec_startup' }),
    );
    expect(r.code).toBe(6);
    const code = r.files.filter((f) => f.includes('/dist/')).map((f) => readFileSync(f, 'utf8'));
    expect(code.length).toBeGreaterThan(2);
    expect(code.filter((c) => c.includes('forwarding-secrets'))).toEqual([]);
    expect(code.filter((c) => c.includes('config.json'))).toEqual([]);
  });

  it('help and the version on a pipe are written to the descriptor: no stdout stream, tty or net is made', async () => {
    for (const args of [['--help'], ['webhooks', 'create', '--help'], ['--version']]) {
      const r = await loaded(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.builtins).toContain('fs'); // the list is real
      for (const m of ['tty', 'net', 'internal/streams/writable'])
        expect(r.builtins, `${args.join(' ')}: ${m}`).not.toContain(m);
    }
  });

  it('nor sent to /dev/null (a character device, never a terminal); Node 20 skips node:module (no compile cache there)', async () => {
    const devNull = openSync('/dev/null', 'w');
    try {
      for (const args of [['--help'], ['webhooks', '--help'], ['--version']]) {
        const r = await loaded(args, isolatedEnv(), devNull);
        expect(r.code, args.join(' ')).toBe(0);
        expect(r.builtins).toContain('fs'); // the list is real
        for (const m of ['tty', 'net', 'internal/streams/writable', 'internal/fs/sync_write_stream'])
          expect(r.builtins, `${args.join(' ')} > /dev/null: ${m}`).not.toContain(m);
        if (Number(process.versions.node.split('.')[0]) < 22) expect(r.builtins).not.toContain('module');
      }
    } finally {
      closeSync(devNull);
    }
  });

  it('a completion query for a flag value loads no http (it is loaded only to ask the API for ids)', async () => {
    const r = await loaded(['__complete', 'webhooks', 'create', '--event', 'task.']);
    expect(r.code).toBe(0);
    expect(r.builtins).not.toContain('http');
    expect(r.builtins).not.toContain('child_process');
  });
});

/** Whether a command line loaded chalk: some file of the bundle it loaded defines chalk's factory. */
async function loadsChalk(args: string[], extraEnv: Record<string, string> = {}): Promise<boolean> {
  const r = await loaded(args, isolatedEnv(extraEnv));
  expect(r.code).toBe(0);
  const files = r.files.filter((f) => f.includes('/dist/'));
  expect(files.some((f) => f.endsWith('/dist/cli.cjs'))).toBe(true); // the list is real
  return files.some((f) => readFileSync(f, 'utf8').includes('function createChalk('));
}

describe('chalk is loaded only for output that gets colour', () => {
  it('not for JSON, nor for piped output', async () => {
    expect(await loadsChalk(['events', 'list', '--json'])).toBe(false);
    expect(await loadsChalk(['events', 'list'])).toBe(false);
    expect(await loadsChalk(['events', 'list'], { NO_COLOR: '1', FORCE_COLOR: '1' })).toBe(false);
  });
  it('for coloured output (FORCE_COLOR=1 on a pipe)', async () => {
    expect(await loadsChalk(['events', 'list'], { FORCE_COLOR: '1' })).toBe(true);
  });
});

// The build, run from a working directory outside the project, into a scratch folder (dist/ is
// in use by the other tests), with esbuild's metafile of the main bundle.
const scratch = mkdtempSync(join(tmpdir(), 'anchor-build-'));
const elsewhere = join(scratch, 'cwd');
const outdir = join(scratch, 'project', 'dist');
let build: ReturnType<typeof spawnSync>;
beforeAll(() => {
  mkdirSync(elsewhere);
  build = spawnSync(
    process.execPath,
    [join(ROOT, 'scripts', 'build.mjs'), '--outdir', outdir, '--metafile', join(scratch, 'meta.json')],
    { cwd: elsewhere, encoding: 'utf8' },
  );
}, 120_000);

interface Metafile {
  outputs: Record<
    string,
    { inputs: Record<string, unknown>; imports: { path: string; kind: string; external?: boolean }[] }
  >;
}
/** A module's name as the bundle knows it: `src/…`, or `<package>/<file>` for node_modules (symlinked or not). */
const moduleName = (input: string) => input.replace(/^.*node_modules\//, '');

/** The modules in the files a command line loads statically from `output` (itself included). */
function staticModules(meta: Metafile, output: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const i of meta.outputs[file]!.imports) if (!i.external && i.kind === 'import-statement') visit(i.path);
  };
  visit(output);
  return [...seen].flatMap((f) => Object.keys(meta.outputs[f]!.inputs).map(moduleName)).sort();
}

describe('the build', () => {
  it('works from any working directory', () => {
    expect(build.status, String(build.stderr)).toBe(0);
    for (const file of [
      'cli.cjs',
      'help.cjs',
      'complete.cjs',
      'anchor-webhooks.schema.json',
      'THIRD_PARTY_LICENSES.txt',
    ])
      expect(existsSync(join(outdir, file)), file).toBe(true);
    expect(readdirSync(join(scratch, 'project'))).toEqual(['dist']); // no half-built folder left behind
    expect(readdirSync(elsewhere)).toEqual([]); // nothing written where it was run from
    // The bundle it made runs: the binary beside it answers a command line that loads a chunk.
    cpSync(join(ROOT, 'bin'), join(scratch, 'project', 'bin'), { recursive: true });
    cpSync(join(ROOT, 'package.json'), join(scratch, 'project', 'package.json'));
    const r = spawnSync(process.execPath, [join(scratch, 'project', 'bin', 'anchor.cjs'), 'events', 'list', '--json'], {
      env: isolatedEnv(),
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'task.completed' })]));
  });

  /** Every command's declaration (`commands/<noun>/<verb>/decl.ts`): `--help` needs them all. */
  function declarationFiles(): string[] {
    const out: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
        const path = `${dir}/${entry.name}`;
        if (entry.isDirectory()) walk(path);
        else if (/(^|[/.])decl\.ts$/.test(entry.name)) out.push(path);
      }
    };
    walk('src/commands');
    return out;
  }

  it('the start chunk holds exactly the modules every command line needs', () => {
    const meta = JSON.parse(readFileSync(join(scratch, 'meta.json'), 'utf8')) as Metafile;
    const start = staticModules(meta, 'cli.js');
    // commander, its child_process stand-in (loaded only if it would spawn), and the declarations:
    // a module added here costs every command line, `--version` aside.
    expect(start).toEqual(
      [
        'commander/esm.mjs',
        'commander/index.js',
        'commander/lib/argument.js',
        'commander/lib/command.js',
        'commander/lib/error.js',
        'commander/lib/help.js',
        'commander/lib/option.js',
        'commander/lib/suggestSimilar.js',
        'lazy-builtin:child_process',
        'src/argv.ts',
        'src/cli.ts',
        'src/commands/flag-builders.ts',
        'src/commands/handler.ts',
        'src/commands/registry.ts',
        'src/commands/result-view.ts',
        'src/commands/spec.ts',
        'src/commands/tree.ts',
        'src/commands/value-flags.ts',
        'src/commands/events/shared/type-arg.ts',
        'src/commands/webhooks/shared/ids.ts',
        ...declarationFiles(),
        'src/context.ts',
        'src/core/delivery-status.ts',
        'src/core/receiver-checks.ts',
        'src/core/scenarios.ts',
        'src/errors.ts',
        'src/globals.ts',
        'src/help-layout.ts',
        'src/lib/color.ts',
        'src/lib/duration.ts',
        'src/lib/http-url.ts',
        'src/lib/loopback.ts',
        'src/lib/redact.ts',
        // SIGINT, SIGTERM and SIGHUP for the commands that clean up (processIO's onSignal).
        'src/lib/stop-signals.ts',
        'src/lib/suggest.ts',
        'src/lib/time.ts',
        'src/program.ts',
        'src/ui/format.ts',
      ].sort(),
    );
  });

  it('the build plugins did their work: English zod only, tlds as text, chalk and zod out of the start', () => {
    const meta = JSON.parse(readFileSync(join(scratch, 'meta.json'), 'utf8')) as Metafile;
    const all = new Set(Object.values(meta.outputs).flatMap((o) => Object.keys(o.inputs).map(moduleName)));
    const zodLocales = [...all].filter(
      (m) => m.startsWith('zod/') && m.includes('/locales/') && !m.endsWith('/index.js'),
    );
    expect(zodLocales.length).toBeGreaterThan(0);
    expect(zodLocales.every((m) => m.endsWith('/en.js'))).toBe(true);
    expect(all).toContain('tlds/index.json');
    expect(all).toContain('chalk/source/index.js');
    // A command that writes colour reaches chalk only through a dynamic import (loadColour()).
    const eventsList = Object.keys(meta.outputs).find((o) =>
      Object.keys(meta.outputs[o]!.inputs).includes('src/commands/events/list/handler.ts'),
    )!;
    expect(staticModules(meta, eventsList).filter((m) => m.startsWith('chalk/'))).toEqual([]);
  });
});
