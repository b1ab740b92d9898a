// A Fastify 5 webhook receiver, naive (Fastify's own JSON parser, then the check over the
// re-serialised body) or correct (a buffer parser in the webhook route's plugin: check-receiver's
// fix, verbatim).
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Processed } from './anchor-check.js';
import { correctCheck, naiveCheck, type AppEnv, type Form } from './anchor-check.js';

export function fastifyApp(form: Form, env: AppEnv, processed: Processed): FastifyInstance {
  const secret = env.ANCHOR_WEBHOOK_SECRET;
  const app = Fastify();
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const header = (name: string) => {
      const v = request.headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    let envelope: unknown;
    if (form === 'correct') {
      const raw = request.body as Buffer;
      const refused = correctCheck(secret, header, raw);
      if (refused) return reply.code(refused.status).type('text/plain').send(refused.text);
      envelope = JSON.parse(raw.toString('utf8'));
    } else {
      envelope = request.body;
      const refused = naiveCheck(secret, header, JSON.stringify(envelope));
      if (refused) return reply.code(refused.status).type('text/plain').send(refused.text);
    }
    return reply.type('text/plain').send(processed.act(form, envelope) ? 'ok' : 'already processed');
  };
  if (form === 'correct') {
    // Only in this plugin: the app's other routes keep Fastify's JSON parser.
    void app.register(async (fastify) => {
      // prettier-ignore
      fastify.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: 1048576 }, (request, body, done) => done(null, body));
      fastify.post('/webhooks/anchor', handler);
    });
  } else {
    app.post('/webhooks/anchor', handler);
  }
  app.get('/processed', async () => processed.ids);
  return app;
}
