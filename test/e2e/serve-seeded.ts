// Runs the real server with the e2e fixture, for working on the console by
// hand: `npx tsx test/e2e/serve-seeded.ts` (after `npx vite build`), or with
// `npx vite` pointed at it through HWT_PORT=3000.
import { ApiClient } from './support/api-client.js';
import { OPERATORS, PASSWORD, seedTenant } from './support/seed.js';
import { startServer } from './support/server.js';

const server = await startServer({ port: Number(process.env.HWT_PORT ?? 0) });
const admin = await ApiClient.signIn(server.baseUrl, server.admin.username, server.admin.password);
await seedTenant(admin, { stock: Number(process.env.HWT_STOCK ?? 120), tick: () => server.advance(1000) });
console.log(`Console: ${server.baseUrl}/`);
console.log(`Superadmin: ${server.admin.username} / ${server.admin.password}`);
for (const operator of Object.values(OPERATORS)) console.log(`${operator.username} / ${PASSWORD}`);
const stop = () => void server.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
