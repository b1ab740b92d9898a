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

const isHelpFlag = (a) => a === '--help' || a === '-h';
const helpOnly = argv.length === 0 || (argv.some(isHelpFlag) && argv.every((a) => isHelpFlag(a) || !a.startsWith('-')));
let code;
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  process.stdout.write(`${require('../package.json').version}\n`);
  code = 0;
} else if (helpOnly) {
  // Plain help skips the ESM loader; anything else it cannot answer falls through to main().
  try {
    code = require('../dist/help.cjs').printHelp(argv, (s) => process.stdout.write(s));
  } catch {
    code = undefined;
  }
}
if (code !== undefined) {
  exit(code);
} else {
  import('../dist/cli.js').then(
    ({ main }) => main(argv).then(exit),
    (err) => {
      process.stderr.write(`anchor is not built or is damaged: ${err.message}\nRun \`npm run build\` and try again.\n`);
      exit(1);
    },
  );
}
