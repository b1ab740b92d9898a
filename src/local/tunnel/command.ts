// `--tunnel-cmd '<command>'`: any other tunnel program. The command is run by `sh -c`, as the user
// wrote it (their quoting, their pipes), with `{port}` replaced by the listener's port; its public
// URL is the first http(s) URL it prints on stdout or stderr (so a command that prints its local
// address first needs its output filtered, e.g. `| grep https`). The user chose to run it;
// anchor's key, secrets and settings are still kept out of its environment (process.ts).
import type { Sighting, TunnelProgram } from './program.js';
import { urlIn } from './program.js';

export function readCommandLine(line: string): Sighting {
  const url = urlIn(line);
  return url === undefined ? undefined : { url };
}

export function commandProgram(port: number, command: string): TunnelProgram {
  return {
    name: 'cmd',
    label: 'the --tunnel-cmd command',
    file: 'sh',
    args: ['-c', command.replaceAll('{port}', String(port))],
    installHint: 'A POSIX shell (sh) is needed to run --tunnel-cmd.',
    read: readCommandLine,
  };
}
