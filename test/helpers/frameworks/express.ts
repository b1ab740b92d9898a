// An Express 5 webhook receiver, naive (a global express.json(), then the check over the
// re-serialised body) or correct (the route's own express.raw() with a limit, registered before
// the global parser: check-receiver's fix, verbatim).
import express, { type Express, type Request, type Response } from 'express';
import type { Processed } from './anchor-check.js';
import { correctCheck, naiveCheck, type AppEnv, type Form } from './anchor-check.js';

export function expressApp(form: Form, env: AppEnv, processed: Processed): Express {
  const secret = env.ANCHOR_WEBHOOK_SECRET;
  const handler = (req: Request, res: Response) => {
    const header = (name: string) => req.get(name);
    let envelope: unknown;
    if (form === 'correct') {
      const raw = req.body as Buffer;
      const refused = correctCheck(secret, header, raw);
      if (refused) return void res.status(refused.status).type('text/plain').send(refused.text);
      envelope = JSON.parse(raw.toString('utf8'));
    } else {
      envelope = req.body;
      const refused = naiveCheck(secret, header, JSON.stringify(envelope));
      if (refused) return void res.status(refused.status).type('text/plain').send(refused.text);
    }
    res
      .status(200)
      .type('text/plain')
      .send(processed.act(form, envelope) ? 'ok' : 'already processed');
  };
  const app = express();
  if (form === 'correct') {
    app.post('/webhooks/anchor', express.raw({ type: 'application/json', limit: '1mb' }), handler);
    app.use(express.json());
  } else {
    app.use(express.json());
    app.post('/webhooks/anchor', handler);
  }
  app.get('/processed', (_req, res) => void res.json(processed.ids));
  return app;
}
