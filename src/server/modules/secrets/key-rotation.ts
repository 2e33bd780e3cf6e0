import type { Storage } from '../../storage/db.js';
import { keyMaterialAad } from '../tokens/token-factory.js';
import type { Keyring } from './keyring.js';

const BATCH = 500;

/**
 * Re-encrypts every token's key material under the current master key, while
 * the service runs: each row is rewritten only if its ciphertext is still the
 * one read (a concurrent compromise, which deletes it, wins).
 */
export async function reencryptAll(storage: Storage, keyring: Keyring): Promise<{ reencrypted: number; remaining: number }> {
  const current = keyring.currentKeyId;
  let reencrypted = 0;
  let afterId = '';
  for (;;) {
    const rows = await storage.db.selectFrom('hw_tokens').select(['id', 'tenant_id', 'secret_enc'])
      .where('secret_enc', 'is not', null).where('key_id', '!=', current).where('id', '>', afterId)
      .orderBy('id').limit(BATCH).execute();
    for (const row of rows) {
      const aad = keyMaterialAad(row.tenant_id, row.id);
      const { envelope, keyId } = keyring.encrypt(keyring.decrypt(row.secret_enc!, aad), aad);
      const result = await storage.db.updateTable('hw_tokens').set({ secret_enc: envelope, key_id: keyId })
        .where('id', '=', row.id).where('secret_enc', '=', row.secret_enc).executeTakeFirst();
      reencrypted += Number(result.numUpdatedRows);
    }
    if (rows.length < BATCH) break;
    afterId = rows.at(-1)!.id;
  }
  const left = await storage.db.selectFrom('hw_tokens').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('secret_enc', 'is not', null).where('key_id', '!=', current).executeTakeFirstOrThrow();
  return { reencrypted, remaining: Number(left.n) };
}
