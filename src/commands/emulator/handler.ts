// `anchor emulator`: runs the local Anchor webhooks API until SIGINT, SIGTERM or SIGHUP. A server,
// not a result: it prints its URL and the lines to export itself, and returns nothing for --json.
import { handler } from '../handler.js';
import { bindError } from '../../lib/serve.js';
import { emulatorCommand } from './decl.js';

export default handler(emulatorCommand, async (options, _args, ctx): Promise<undefined> => {
  const { startEmulator } = await import('../../emulator/server.js');
  let emulator;
  try {
    emulator = await startEmulator({
      port: options.port,
      host: options.host,
      ...(options.apiKey ? { apiKeys: options.apiKey } : {}),
      allowLocalTargets: options.allowLocalTargets,
      retryDelaysMs: options.retryDelays,
      now: () => ctx.now(),
      log: (line) => ctx.err(`[emulator] ${line}\n`),
    });
  } catch (e) {
    throw bindError(e, options.host, options.port) ?? e;
  }
  for (const k of options.apiKey ?? []) ctx.addSecret(k);

  // The handler goes in before anything a script waits for is printed (see listen).
  const stopped = new Promise<void>((resolve) => {
    const off = ctx.io.onSignal((signal) => {
      off();
      ctx.err(`[emulator] ${signal}: shutting down\n`);
      resolve();
    });
  });
  // stdout: the URL first, then the lines to export; scripts read these. Everything else: stderr.
  // One write, so a script polling the file never reads the URL without the lines after it.
  ctx.out(
    [
      emulator.url,
      `ANCHOR_API_URL=${emulator.url}`,
      ...(options.allowLocalTargets ? ['ANCHOR_ALLOW_LOCAL_TARGETS=1'] : []),
      '',
    ].join('\n'),
  );
  const keys = options.apiKey
    ? `${options.apiKey.length} key(s) given with --api-key`
    : 'any non-empty API key (a project per key)';
  ctx.err(`Anchor webhooks emulator listening on ${emulator.url}; accepting ${keys}. Ctrl-C to stop.\n`);

  await stopped;
  await emulator.close();
  return undefined;
});
