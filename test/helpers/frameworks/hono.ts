// A Hono webhook receiver (served by @hono/node-server), naive (c.req.json(), then the check
// over the re-serialised body) or correct (the text first: check-receiver's fix, verbatim).
import { Hono } from 'hono';
import type { Processed } from './anchor-check.js';
import { correctCheck, naiveCheck, type AppEnv, type Form } from './anchor-check.js';

export function honoApp(form: Form, env: AppEnv, processed: Processed): Hono {
  const secret = env.ANCHOR_WEBHOOK_SECRET;
  const app = new Hono();
  app.post('/webhooks/anchor', async (c) => {
    const header = (name: string) => c.req.header(name);
    let envelope: unknown;
    if (form === 'correct') {
      const raw = await c.req.text();
      const refused = correctCheck(secret, header, Buffer.from(raw, 'utf8'));
      if (refused) return c.text(refused.text, refused.status as 400 | 401);
      envelope = JSON.parse(raw);
    } else {
      envelope = await c.req.json();
      const refused = naiveCheck(secret, header, JSON.stringify(envelope));
      if (refused) return c.text(refused.text, refused.status as 400 | 401);
    }
    return c.text(processed.act(form, envelope) ? 'ok' : 'already processed');
  });
  app.get('/processed', (c) => c.json(processed.ids));
  return app;
}
