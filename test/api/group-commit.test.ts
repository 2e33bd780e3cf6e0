// Verification commits its changes in groups (GroupCommit): each change must
// still be whole or nothing, and the audit chain of every tenant intact.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewAuditEvent } from '../../src/server/modules/audit/audit-repository.js';
import type { BulkChange } from '../../src/server/modules/audit/group-commit.js';
import { acceptIfUnchanged, type Acceptance } from '../../src/server/modules/verification/verification-queries.js';
import { verifyAuditChain } from '../../src/server/modules/audit/audit-verify.js';
import { createTenant } from '../../src/server/modules/tenants/tenant-admin.js';
import type { Dialect, Tx } from '../../src/server/storage/db.js';
import { DIALECTS } from '../helpers/databases.js';
import { addToken } from '../helpers/factories.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

const describeToken = (tx: Tx, id: string, description: string) =>
  tx.updateTable('hw_tokens').set({ description }).where('id', '=', id).execute();

function event(detail: string): NewAuditEvent {
  return { at: Date.now(), actor: 'test', action: 'verify', outcome: 'accepted', tokenId: null, serial: null, userId: null, username: null, reason: null, detail };
}

for (const dialect of DIALECTS) {
  describe(`group commit (${dialect})`, () => {
    let t: TestApp;
    let tenantId: string;
    let otherTenantId: string;
    beforeAll(async () => {
      t = await startTestApp(dialect);
      tenantId = (await t.services.storage.db.selectFrom('tenants').select('id').where('slug', '=', t.tenant).executeTakeFirstOrThrow()).id;
      otherTenantId = (await createTenant(t.services, { slug: 'other', name: 'Other' })).id;
    });
    afterAll(async () => { await t?.close(); });

    it('commits changes submitted together, in the order of their keys, with their events chained per tenant', async () => {
      const tokens = await Promise.all([1, 2, 3].map(() => addToken(t.admin, t.tenant, {})));
      const results = await Promise.all(tokens.map((token, i) => t.services.groupCommit.run(i === 1 ? otherTenantId : tenantId, `key ${2 - i}`, async (tx) => {
        await describeToken(tx, token.id, `grouped ${i}`);
        return { result: i * 10, events: [event(`grouped ${i}`)] };
      })));
      expect(results).toEqual([0, 10, 20]);
      const db = t.services.storage.db;
      const described = await db.selectFrom('hw_tokens').select('description').where('id', 'in', tokens.map((x) => x.id)).execute();
      expect(described.map((r) => r.description).sort()).toEqual(['grouped 0', 'grouped 1', 'grouped 2']);
      const events = await db.selectFrom('audit_events').select(['tenant_id', 'detail']).where('detail', 'like', 'grouped %').orderBy('seq').execute();
      expect(events.filter((e) => e.tenant_id === tenantId).map((e) => e.detail)).toEqual(['grouped 2', 'grouped 0']);
      expect(events.filter((e) => e.tenant_id === otherTenantId).map((e) => e.detail)).toEqual(['grouped 1']);
      for (const id of [tenantId, otherTenantId]) expect((await verifyAuditChain(t.services.storage, id)).broken).toBeUndefined();
    });

    it('fails a change that throws alone: the rest of its group is stored, its own write is not', async () => {
      const tokens = await Promise.all([1, 2, 3].map(() => addToken(t.admin, t.tenant, {})));
      const outcomes = await Promise.allSettled(tokens.map((token, i) => t.services.groupCommit.run(tenantId, token.id, async (tx) => {
        await describeToken(tx, token.id, `attempt ${i}`);
        if (i === 1) throw new Error('this change cannot be stored');
        return { result: i, events: [event(`attempt ${i}`)] };
      })));
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      const db = t.services.storage.db;
      const described = await db.selectFrom('hw_tokens').select(['id', 'description']).where('id', 'in', tokens.map((x) => x.id)).execute();
      const byId = new Map(described.map((r) => [r.id, r.description]));
      expect(tokens.map((x) => byId.get(x.id))).toEqual(['attempt 0', null, 'attempt 2']);
      const events = await db.selectFrom('audit_events').select('detail').where('detail', 'like', 'attempt %').orderBy('seq').execute();
      // In the group's key order (token ids), not the order of the calls: the tokens were added concurrently.
      const keyOrder = [0, 2].sort((a, b) => (tokens[a]!.id < tokens[b]!.id ? -1 : 1));
      expect(events.map((e) => e.detail)).toEqual(keyOrder.map((i) => `attempt ${i}`));
      expect((await verifyAuditChain(t.services.storage, tenantId)).broken).toBeUndefined();
    });
    it('gives the bulk changes of a group to one call in key order, after the single changes, each with its events', async () => {
      const tokens = await Promise.all([1, 2, 3].map(() => addToken(t.admin, t.tenant, {})));
      const calls: string[][] = [];
      const describeAll: BulkChange<string, string> = {
        async run(tx: Tx, _dialect: Dialect, ids: string[]) {
          calls.push(ids);
          for (const id of ids) await describeToken(tx, id, 'bulk');
          return ids.map((id) => `done ${id}`);
        },
      };
      const sorted = tokens.map((x) => x.id).sort();
      const [results, single] = await Promise.all([
        Promise.all(tokens.map((token) => t.services.groupCommit.runBulk(tenantId, token.id, describeAll, token.id, (result) => [event(`bulk ${result}`)]))),
        t.services.groupCommit.run(tenantId, '', async (tx) => {
          const seen = await tx.selectFrom('hw_tokens').select('description').where('id', 'in', sorted).execute();
          return { result: seen.map((r) => r.description), events: [event('single before bulk')] };
        }),
      ]);
      expect(calls).toEqual([sorted]);
      expect(results).toEqual(tokens.map((x) => `done ${x.id}`));
      // The single change ran first: it saw the tokens before the bulk change described them.
      expect(single).toEqual([null, null, null]);
      const events = await t.services.storage.db.selectFrom('audit_events').select('detail')
        .where((eb) => eb.or([eb('detail', 'like', 'bulk done %'), eb('detail', '=', 'single before bulk')])).orderBy('seq').execute();
      expect(events.map((e) => e.detail)).toEqual(['single before bulk', ...sorted.map((id) => `bulk done ${id}`)]);
      expect((await verifyAuditChain(t.services.storage, tenantId)).broken).toBeUndefined();
    });

    it('accepts each token once among acceptances of one call: a second or stale acceptance loses', async () => {
      const [a, b] = await Promise.all([1, 2].map(() => addToken(t.admin, t.tenant, {})));
      const acceptance = (token: { id: string }, version: number, counter: number): Acceptance => ({
        tenantId, id: token.id, version, now: Date.now(), counter, drift: 0, last_step: null, yubico_use_counter: null, yubico_session_counter: null,
      });
      const versionOf = async (id: string) => (await t.services.storage.db.selectFrom('hw_tokens').select(['version', 'counter']).where('id', '=', id).executeTakeFirstOrThrow());
      const [va, vb] = [(await versionOf(a.id)).version, (await versionOf(b.id)).version];
      const results = await t.services.storage.db.transaction().execute((tx) => acceptIfUnchanged.run(tx, dialect, [
        acceptance(a, va, 5), acceptance(a, va, 6), acceptance(b, vb - 1, 7), acceptance(b, vb, 8),
      ]));
      expect(results).toEqual([true, false, false, true]);
      expect(await versionOf(a.id)).toEqual({ version: va + 1, counter: 5 });
      expect(await versionOf(b.id)).toEqual({ version: vb + 1, counter: 8 });
    });
  });
}
