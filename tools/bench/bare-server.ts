import Fastify from 'fastify';
import { VerifyBody, VerifyResult } from '../../src/contract/tokens.js';

/**
 * The ceiling: a Fastify route that validates the same JSON body as verify
 * (same schema, same validation setup, same response serialisation) and does
 * no work.
 */
const app = Fastify({ logger: false });
app.post('/api/v1/tenants/:tenant/verify', { schema: { body: VerifyBody, response: { 200: VerifyResult } } },
  async () => ({ accepted: false, reason: 'rejected' }));
app.get('/healthz', async () => ({ status: 'ok' }));
await app.listen({ host: '127.0.0.1', port: Number(process.env.HWT_PORT) });
