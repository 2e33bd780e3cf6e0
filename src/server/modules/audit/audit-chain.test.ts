import { describe, expect, it } from 'vitest';
import { eventHash } from './audit-chain.js';

describe('eventHash', () => {
  // Worked out apart from this code (printf … | sha256sum): chains stored by
  // earlier versions must still verify, so the hashed bytes never change.
  it('hashes the previous hash, a newline and the fields as a JSON array in UTF-8', () => {
    const hash = eventHash('a'.repeat(64), {
      tenantId: 't-1', seq: 7, at: 1767225600000, actor: 'apikey:login', action: 'verify', outcome: 'accepted',
      tokenId: 'tok-1', serial: 'YK-0001', userId: 'usr-1', username: 'jürgen', reason: null, detail: 'tried YK-0001',
    });
    expect(hash).toBe('c1886157a96510429ff8f8efa01db66486caea34d5901b5118a73e159649ffe0');
  });
});
