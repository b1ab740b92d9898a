#!/usr/bin/env node
// The `anchor` binary: the only place the process exits. CommonJS on purpose: Node starts a CJS
// entry faster than an ESM one, and `--version` is answered here without loading the command tree.
'use strict';
const argv = process.argv.slice(2);

function exit(code) {
  // Let both streams drain before leaving, so piped output is never cut short.
  let pending = 2;
  const done = () => --pending === 0 && process.exit(code);
  process.stdout.write('', done);
  process.stderr.write('', done);
}

if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  process.stdout.write(`${require('../package.json').version}\n`);
  exit(0);
} else {
  import('../dist/cli.js').then(
    ({ main }) => main(argv).then(exit),
    (err) => {
      process.stderr.write(`anchor is not built or is damaged: ${err.message}\nRun \`npm run build\` and try again.\n`);
      exit(1);
    },
  );
}
