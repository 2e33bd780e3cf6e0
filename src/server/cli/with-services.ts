import { loadConfig } from '../config.js';
import type { Services } from '../lib/context.js';
import { openServices } from '../services.js';

/** Runs a command against the configured database, then closes it. */
export async function withServices<T>(run: (services: Services) => Promise<T>): Promise<T> {
  const services = await openServices(loadConfig());
  try {
    return await run(services);
  } finally {
    await services.storage.close();
  }
}
