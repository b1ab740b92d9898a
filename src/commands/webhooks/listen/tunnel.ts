// `listen --tunnel` / `--tunnel-cmd`: starts the tunnel program once the receiver is up, reads its
// public URL, holds it to the URL rules (as --register), proves it reaches this listener, and only
// then registers the temporary webhook; while listening, re-checks it and says when it breaks and
// when it is back. On any failure the tunnel is stopped before the error is thrown.
import type { Context } from '../../../context.js';
import { TunnelError } from '../../../errors.js';
import { checkWebhookUrl } from '../../../core/url-rules.js';
import { escapeControl, style } from '../../../ui/format.js';
import { urlRuleHint } from '../../flags.js';
import { cloudflaredProgram } from '../../../local/tunnel/cloudflared.js';
import { ngrokProgram } from '../../../local/tunnel/ngrok.js';
import { sshProgram, tunnelKnownHosts } from '../../../local/tunnel/ssh.js';
import { commandProgram } from '../../../local/tunnel/command.js';
import type { TunnelName, TunnelProgram } from '../../../local/tunnel/program.js';
import { startTunnelProgram, urlDeadline, type RunningTunnel } from '../../../local/tunnel/process.js';
import { proveTunnel, recheckInterval, watchTunnel, type ProbeSeen } from '../../../local/tunnel/prove.js';
import { leftoverTunnels } from '../../../local/tunnel/leftover.js';
import type { ListenOptions, TunnelSpec } from './options.js';
import { registerTemporaryWebhook, type TemporaryWebhook } from './temporary-webhook.js';

export interface OpenTunnel {
  name: TunnelName;
  label: string;
  /** The tunnel's public origin (a printed path is not kept: --path decides where deliveries go). */
  publicUrl: string;
  running: RunningTunnel;
}

function programFor(spec: TunnelSpec, port: number, env: Record<string, string | undefined>): TunnelProgram {
  switch (spec.provider) {
    case 'cloudflared':
      return cloudflaredProgram(port);
    case 'ngrok':
      return ngrokProgram(port);
    case 'ssh':
      return sshProgram(port, spec.target, tunnelKnownHosts(env));
    case 'cmd':
      return commandProgram(port, spec.command);
  }
}

/** The webhook's URL: the tunnel's public origin and listen's --path. */
export const webhookUrlOf = (t: OpenTunnel, path: string): string => `${t.publicUrl}${path}`;

/** Starts and proves the tunnel to the receiver on `port`; rejects (the tunnel stopped) when it cannot. */
export async function openTunnel(
  ctx: Context,
  spec: TunnelSpec,
  o: { port: number; path: string; allowLocal: boolean; probe: ProbeSeen },
): Promise<OpenTunnel> {
  const program = programFor(spec, o.port, ctx.env);
  const running = startTunnelProgram(program, ctx.env, urlDeadline(ctx.env));
  try {
    const printed = await ctx.withSpinner(
      `Starting ${program.label}…`,
      () => running.publicUrl,
      'Interrupted while the tunnel started; it is stopped and nothing was registered.',
    );
    const publicUrl = new URL(printed).origin;
    const rule = checkWebhookUrl(`${publicUrl}${o.path}`, { allowLocalTargets: o.allowLocal });
    if (!rule.ok)
      throw new TunnelError(
        `${program.label} gave ${escapeControl(publicUrl)}, which Anchor cannot deliver to: ${rule.message}`,
        {
          hint: urlRuleHint(rule.rule),
        },
      );
    const proof = await ctx.withSpinner(
      `Checking that ${publicUrl} reaches this listener…`,
      () => proveTunnel(publicUrl, o.probe),
      'Interrupted while the tunnel was checked; it is stopped and nothing was registered.',
    );
    if (!proof.ok)
      throw new TunnelError(
        `${program.label}: ${escapeControl(publicUrl)} does not reach this listener: ${proof.why}`,
        {
          hint: `${proof.fix} Nothing was registered.`,
        },
      );
    ctx.err(`Tunnel: ${publicUrl} reaches this listener (${program.label}, pid ${running.pid}).\n`);
    return { name: program.name, label: program.label, publicUrl, running };
  } catch (err) {
    await running.stop();
    throw err;
  }
}

/** The tunnel, proven, then the temporary webhook at its URL; a failure of either leaves neither. */
export async function tunnelAndWebhook(
  ctx: Context,
  options: ListenOptions,
  spec: TunnelSpec,
  port: number,
  probe: ProbeSeen,
): Promise<{ tunnel: OpenTunnel; temporary: TemporaryWebhook }> {
  const tunnel = await openTunnel(ctx, spec, {
    port,
    path: options.path,
    allowLocal: options.allowLocal === true,
    probe,
  });
  try {
    return {
      tunnel,
      temporary: await registerTemporaryWebhook(ctx, webhookUrlOf(tunnel, options.path), options.events),
    };
  } catch (err) {
    await tunnel.running.stop();
    throw err;
  }
}

/** Re-checks the tunnel while listening; says once when it stops reaching the listener and once when it is back. */
export function watchOpenTunnel(ctx: Context, t: OpenTunnel, probe: ProbeSeen): () => void {
  const e = style(ctx.colorStderr);
  const watch = watchTunnel(t.publicUrl, probe, recheckInterval(ctx.env), (proof) =>
    ctx.err(
      proof.ok
        ? `${e.green('✓')} The tunnel reaches this listener again.\n`
        : `${e.yellow('!')} The tunnel no longer reaches this listener: ${proof.why}. Anchor's deliveries fail (and are retried) until it is back.\n`,
    ),
  );
  return watch.stop;
}

/**
 * Says which tunnel programs outlived a listener killed without its clean-up: they forward public
 * requests to that listener's port, whatever listens there next. Stopping them is the user's call.
 */
export function noteLeftoverTunnels(ctx: Context): void {
  const e = style(ctx.colorStderr);
  for (const t of leftoverTunnels(ctx.env))
    ctx.err(
      `${e.yellow('!')} A ${t.tunnel === 'cmd' ? '--tunnel-cmd' : t.tunnel} tunnel (pid ${t.pid}) started by a listener that was killed still runs, forwarding to port ${t.port}: stop it with \`kill ${t.pid}\`.\n`,
    );
}

/** Listen ends when the tunnel program does: the error, once the webhook is deleted and everything closed. */
export function tunnelExitedError(t: OpenTunnel, how: string): TunnelError {
  const lines = t.running.lastLines();
  return new TunnelError(`${t.label} ${how.replace(/^it /, '')} while listening; the temporary webhook was deleted`, {
    hint: `${lines ? `Its last lines:\n${lines}\n` : ''}Start listen again for a new tunnel.`,
  });
}
