#!/usr/bin/env node
// The `anchor` binary: the only place the process exits. `--version` is answered without loading
// the command tree; everything else goes through main(), which returns the exit code.
const argv = process.argv.slice(2);

let code;
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  const { VERSION } = await import('../dist/version.js');
  process.stdout.write(`anchor ${VERSION}\n`);
  code = 0;
} else {
  const { main } = await import('../dist/cli.js');
  code = await main(argv);
}

// Let both streams drain before leaving, so piped output is never cut short.
await Promise.all([process.stdout, process.stderr].map((s) => new Promise((r) => s.write('', r))));
process.exit(code);
