// An Express 5 webhook receiver, naive (a global express.json(), then the check over the
// re-serialised body) or correct (the route's own express.raw() with a limit, registered before
// the global parser: check-receiver's fix, verbatim); and the half-fixes people try first.
import express, { type Express, type Request, type Response } from 'express';
import type { Processed } from './anchor-check.js';
import { correctCheck, naiveCheck, type AppEnv, type Form } from './anchor-check.js';

/**
 * The half-fixes: express.raw() on the route after a global express.json() (the body is parsed
 * already), and express.raw() first but without a limit (100 kB, so a 413 on large bodies).
 * 'raw-after-json-crash' is the first as a new user wrote it: express.raw() with its 1 MiB limit
 * after the global express.json(), and req.body handed to the HMAC as it is (a TypeError on the
 * parsed object: Express answers 500, to every delivery with a signature).
 */
export type ExpressHalfFix = 'raw-after-json' | 'raw-without-limit' | 'raw-after-json-crash';

export function expressApp(form: Form | ExpressHalfFix, env: AppEnv, processed: Processed): Express {
  const secret = env.ANCHOR_WEBHOOK_SECRET;
  const verifiesRaw = form !== 'naive';
  const handler = (req: Request, res: Response) => {
    const header = (name: string) => req.get(name);
    let envelope: unknown;
    if (verifiesRaw) {
      const guarded = form !== 'raw-after-json-crash';
      if (guarded && !Buffer.isBuffer(req.body))
        return void res.status(400).type('text/plain').send('expected the raw body');
      // The crash form trusts the route's raw() and hands on whatever it got (as the walker's app did).
      const raw = req.body as Buffer;
      const refused = correctCheck(secret, header, raw);
      if (refused) return void res.status(refused.status).type('text/plain').send(refused.text);
      envelope = JSON.parse(raw.toString('utf8'));
    } else {
      envelope = req.body;
      const refused = naiveCheck(secret, header, JSON.stringify(envelope));
      if (refused) return void res.status(refused.status).type('text/plain').send(refused.text);
    }
    const acted = processed.act(verifiesRaw ? 'correct' : 'naive', envelope);
    res
      .status(200)
      .type('text/plain')
      .send(acted ? 'ok' : 'already processed');
  };
  const app = express();
  switch (form) {
    case 'correct':
      app.post('/webhooks/anchor', express.raw({ type: 'application/json', limit: '1mb' }), handler);
      app.use(express.json());
      break;
    case 'raw-without-limit':
      app.post('/webhooks/anchor', express.raw({ type: 'application/json' }), handler);
      app.use(express.json());
      break;
    case 'raw-after-json':
      app.use(express.json());
      app.post('/webhooks/anchor', express.raw({ type: 'application/json' }), handler);
      break;
    case 'raw-after-json-crash':
      app.use(express.json());
      app.post('/webhooks/anchor', express.raw({ type: 'application/json', limit: '1mb' }), handler);
      break;
    case 'naive':
      app.use(express.json());
      app.post('/webhooks/anchor', handler);
  }
  app.get('/processed', (_req, res) => void res.json(processed.ids));
  return app;
}
