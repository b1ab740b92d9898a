// `anchor doctor`: why nothing arrives. Runs the checks of report.ts, the independent ones at once
// (the API's, the listeners' probes, the secret and the app's answer from the record), then the
// webhook's, which need the key; returns them in their fixed order and exits 6 when any failed.
import { CheckFailedError } from '../../errors.js';
import { checkEventsFlag } from '../flags.js';
import { failing, handler } from '../handler.js';
import { runApiChecks } from './checks-api.js';
import { deliveriesCheck, doctorClient, fetchWebhook, webhookStateCheck, webhookUrlCheck } from './checks-webhook.js';
import { healthFor, listenerCheck, probeListeners, serverOf, tunnelCheck } from './checks-listener.js';
import { appCheck } from './check-app.js';
import { findDoctorSecret, secretCheck } from './check-secret.js';
import { renderDoctor } from './render.js';
import { CHECK_IDS, skipped, type CheckId, type DoctorCheck, type DoctorReport } from './report.js';
import { doctorCommand } from './decl.js';

export default handler(
  doctorCommand,
  async (flags, _args, ctx): Promise<DoctorReport> => {
    // Bad input ends the command before anything is sent: a usage error, not a failed check.
    if (flags.event !== undefined) checkEventsFlag([flags.event], '--event');
    const webhookId = flags.webhook?.trim();
    const secret = await findDoctorSecret(ctx, flags.secretFile);

    const [apiChecks, listeners] = await Promise.all([runApiChecks(ctx), probeListeners(ctx.env)]);
    const results = new Map<CheckId, DoctorCheck>([
      ['key', apiChecks.key],
      ['api', apiChecks.api],
      ['clock', apiChecks.clock],
      ['secret', secretCheck(ctx, secret)],
      ['tunnel', tunnelCheck(listeners)],
      ['app', appCheck(ctx)],
    ]);

    let webhook: { id: string; url: string } | undefined;
    if (webhookId === undefined) {
      const why = 'needs --webhook <id>';
      for (const id of ['webhook_url', 'webhook_state', 'deliveries'] as const) results.set(id, skipped(id, why));
    } else if (!apiChecks.session) {
      const why = 'needs an API key the API accepts (see key)';
      for (const id of ['webhook_url', 'webhook_state', 'deliveries'] as const) results.set(id, skipped(id, why));
    } else {
      const api = doctorClient(ctx, apiChecks.session);
      const hook = await fetchWebhook(api, webhookId);
      if ('ok' in hook) {
        results.set('webhook_state', hook);
        const why = `webhook ${webhookId} could not be read`;
        results.set('webhook_url', skipped('webhook_url', why));
        results.set('deliveries', skipped('deliveries', why));
      } else {
        webhook = { id: hook.id, url: hook.url };
        results.set('webhook_state', webhookStateCheck(hook, flags.event));
        const [url, deliveries] = await Promise.all([
          webhookUrlCheck(ctx, hook, healthFor(listeners, hook.url)),
          deliveriesCheck(api, hook, serverOf(listeners, hook.url)),
        ]);
        results.set('webhook_url', url);
        results.set('deliveries', deliveries);
      }
    }
    results.set('listener', listenerCheck(listeners, webhook));

    const checks = CHECK_IDS.map((id) => results.get(id)!);
    const bad = checks.filter((c) => !c.ok);
    return failing(
      { ok: bad.length === 0, checks },
      bad.length
        ? new CheckFailedError(
            `${bad.length} check${bad.length === 1 ? '' : 's'} failed: ${bad.map((c) => c.id).join(', ')}`,
            {
              hint: 'Each failed check has its fix; run `anchor doctor` again after fixing it.',
            },
          )
        : undefined,
    );
  },
  renderDoctor,
);
