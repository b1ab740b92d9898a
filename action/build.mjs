// `npm run build:action`: bundles the GitHub Action into action/dist/, which is committed
// (`uses: owner/repo@tag` gets the repository as committed, and dist/ is ignored). main.cjs, post.cjs
// and supervisor.cjs are the action; anchor.cjs is the whole CLI (src/cli.ts) in one CommonJS file.
// The output depends only on the sources and node_modules, byte for byte: a test rebuilds it and
// compares. `--outdir <dir>` builds elsewhere (that test's scratch folder).
import { build } from 'esbuild';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { zodEnglishOnly } from '../scripts/zod-english-only.mjs';
import { whenExitOnExitOnly } from '../scripts/when-exit-on-exit.mjs';
import { bundledPackages, licenseNotices } from '../scripts/third-party-licenses.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values: args } = parseArgs({ options: { outdir: { type: 'string' } } });
const outdir = resolve(args.outdir ?? resolve(root, 'action/dist'));
const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'));

const common = {
  absWorkingDir: root,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  // The CLI's floor (package.json engines); the runner gives node24.
  target: 'node20',
  define: {
    __ANCHOR_VERSION__: JSON.stringify(pkg.version),
    // The action finds anchor.cjs and supervisor.cjs beside itself.
    'import.meta.dirname': '__dirname',
  },
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
};

const { names: bundled, note } = bundledPackages();

rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
// The action's own code stays readable: it is what a user audits before trusting it with a key.
for (const name of ['main', 'post', 'supervisor'])
  note(await build({ ...common, entryPoints: [`action/src/${name}.ts`], outfile: resolve(outdir, `${name}.cjs`) }));
note(
  await build({
    ...common,
    entryPoints: ['action/src/anchor.ts'],
    outfile: resolve(outdir, 'anchor.cjs'),
    plugins: [zodEnglishOnly, whenExitOnExitOnly],
    minify: true,
  }),
);

// The bundle carries other people's code: their licenses go with it.
const notices = licenseNotices(root, bundled);
writeFileSync(
  resolve(outdir, 'THIRD_PARTY_LICENSES.txt'),
  `action/dist/anchor.cjs bundles the following packages.\n\n${notices.join('\n')}`,
);
