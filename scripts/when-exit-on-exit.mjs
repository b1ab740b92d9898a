// An esbuild plugin, shared by the CLI's build (scripts/build.mjs) and the action's
// (action/build.mjs): `conf` writes through `atomically`, whose `when-exit` purges its temporary
// files on exit, and, to do so on a signal too, hooks SIGINT, SIGTERM and SIGHUP as soon as it is
// loaded: it runs its callbacks, then sends the process the same signal again. A command that
// cleans up on a signal (listen deleting its temporary webhook, stopping its tunnel) has taken the
// first one and unsubscribed; the second one ended the process half-way through that clean-up.
// anchor ends on those signals through process.exit, so 'exit' alone is enough to purge them:
// inside atomically, when-exit resolves to a stand-in that registers for 'exit' only.
export const whenExitOnExitOnly = {
  name: 'when-exit-on-exit-only',
  setup(b) {
    b.onResolve({ filter: /^when-exit$/ }, (args) =>
      args.importer.includes(`${'node_modules'}/atomically/`)
        ? { path: 'when-exit', namespace: 'when-exit' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'when-exit' }, () => ({
      contents:
        "export default (callback) => { process.once('exit', callback); return () => process.off('exit', callback); };",
      loader: 'js',
    }));
  },
};
