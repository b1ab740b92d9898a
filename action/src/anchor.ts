// The CLI as the action runs it (action/dist/anchor.cjs): src/cli.ts's main() in one CommonJS file,
// the same command tree and handlers as the npm package, ending the process as bin/anchor.cjs does.
import { main } from '../../src/cli.js';

function exit(code: number): void {
  // Both streams drain before the process ends, so a piped --json document is never cut short.
  let pending = 2;
  const done = () => --pending === 0 && process.exit(code);
  process.stdout.write('', done);
  process.stderr.write('', done);
}

main(process.argv.slice(2)).then(exit, (e: unknown) => {
  process.stderr.write(`anchor: ${e instanceof Error ? e.message : String(e)}\n`);
  exit(1);
});
