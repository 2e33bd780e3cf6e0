// Tamper evidence (SPEC §8): every event chains to the previous one of its
// tenant; an altered, removed or truncated event is found by `audit verify`.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditRepository } from '../../src/server/modules/audit/audit-repository.js';
import { verifyAuditChain } from '../../src/server/modules/audit/audit-verify.js';
import { DIALECTS } from '../helpers/databases.js';
import { addToken, userWithTokens } from '../helpers/factories.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

for (const dialect of DIALECTS) {
  describe(`audit chain (${dialect})`, () => {
    let t: TestApp;
    let tenantId: string;
    beforeAll(async () => {
      t = await startTestApp(dialect);
      tenantId = (await t.services.storage.db.selectFrom('tenants').select('id').where('slug', '=', t.tenant).executeTakeFirstOrThrow()).id;
      const { tokens } = await userWithTokens(t.admin, t.tenant, 2);
      await t.admin.post(`/api/v1/tenants/${t.tenant}/hw-tokens/${tokens[0].id}/disable`);
      await t.admin.post(`/api/v1/tenants/${t.tenant}/hw-tokens/${tokens[1].id}/disable`); // refused: last active
      await addToken(t.admin, t.tenant, {});
    });
    afterAll(async () => { await t?.close(); });

    it('checks an intact chain and shows its head over the API', async () => {
      const report = await verifyAuditChain(t.services.storage, tenantId);
      expect(report.broken).toBeUndefined();
      expect(report.checked).toBeGreaterThan(5);
      const page = await t.admin.get(`/api/v1/tenants/${t.tenant}/audit`);
      expect(page.body.head).toEqual(report.head);
      expect(page.body.items[0].hash).toBe(report.head.hash);
      const outcomes = page.body.items.map((e: { outcome: string }) => e.outcome);
      expect(outcomes).toContain('refused');
      const verify = await t.admin.get(`/api/v1/tenants/${t.tenant}/audit/verify`);
      expect(verify.body.broken).toBeUndefined();
    });

    it('filters by username whatever its case, also beyond ASCII', async () => {
      const base = `/api/v1/tenants/${t.tenant}`;
      expect((await t.admin.post(`${base}/users`, { username: 'JÜRGEN' })).status).toBe(201);
      for (const asked of ['jürgen', 'JÜRGEN', 'Jürgen']) {
        const page = await t.admin.get(`${base}/audit?user=${encodeURIComponent(asked)}`);
        expect(page.body.items.map((e: { action: string; username: string }) => [e.action, e.username]), asked).toEqual([['user.create', 'JÜRGEN']]);
      }
      // The actor and the action too, as an operator types them.
      const byActor = await t.admin.get(`${base}/audit?actor=ADMIN&action=User.Create&user=jürgen`.replace('jürgen', encodeURIComponent('jürgen')));
      expect(byActor.body.items.map((e: { actor: string; action: string }) => [e.actor, e.action])).toEqual([['admin', 'user.create']]);
    });

    it('appends more events in one call than one statement holds, as one chain', async () => {
      const before = await verifyAuditChain(t.services.storage, tenantId);
      const events = Array.from({ length: 1_201 }, (_, i) => ({
        at: Date.now(), actor: 'apikey:test', action: 'verify', outcome: 'refused', tokenId: null, serial: `S${i}`,
        userId: null, username: 'ü'.repeat(i % 3), reason: i % 2 ? 'wrong_otp' : null, detail: null,
      }));
      const { storage } = t.services;
      const appended = await storage.db.transaction().execute((tx) => new AuditRepository(tx, storage.dialect, tenantId).appendAll(tx, events));
      expect(appended.map((row) => row.seq)).toEqual(events.map((_, i) => before.head.seq + i + 1));
      const after = await verifyAuditChain(storage, tenantId);
      expect(after.broken).toBeUndefined();
      expect(after.head).toEqual({ seq: before.head.seq + 1_201, hash: appended.at(-1)!.hash });
      const stored = await storage.db.selectFrom('audit_events').select(['serial', 'username', 'reason']).where('tenant_id', '=', tenantId)
        .where('seq', '>', before.head.seq).orderBy('seq').execute();
      expect(stored).toEqual(events.map(({ serial, username, reason }) => ({ serial, username, reason })));
    });

    it('refuses to update or delete an event in the database itself', async () => {
      const db = t.services.storage.db;
      const first = db.selectFrom('audit_events').select('id').where('tenant_id', '=', tenantId).where('seq', '=', 1);
      await expect(db.updateTable('audit_events').set({ actor: 'mallory' }).where('id', 'in', first).execute()).rejects.toThrow(/append-only/);
      await expect(db.deleteFrom('audit_events').where('id', 'in', first).execute()).rejects.toThrow(/append-only/);
      if (dialect === 'postgres') await expect(sql`truncate audit_events`.execute(db)).rejects.toThrow(/append-only/);
      expect((await verifyAuditChain(t.services.storage, tenantId)).broken).toBeUndefined();
    });

    /** What follows tampers as someone who can write the database could: first they take the guard away. */
    const dropGuard = async () => {
      const statements = dialect === 'sqlite'
        ? ['drop trigger if exists audit_events_no_update', 'drop trigger if exists audit_events_no_delete']
        : ['alter table audit_events disable trigger audit_events_append_only'];
      for (const statement of statements) await sql.raw(statement).execute(t.services.storage.db);
    };

    it('finds an altered event', async () => {
      await dropGuard();
      const db = t.services.storage.db;
      const victim = await db.selectFrom('audit_events').selectAll().where('tenant_id', '=', tenantId).where('seq', '=', 3).executeTakeFirstOrThrow();
      await db.updateTable('audit_events').set({ actor: 'mallory' }).where('id', '=', victim.id).execute();
      const report = await verifyAuditChain(t.services.storage, tenantId);
      expect(report.broken).toEqual({ seq: 3, reason: expect.stringContaining('altered') });
      await db.updateTable('audit_events').set({ actor: victim.actor }).where('id', '=', victim.id).execute();
    });

    it("finds a head whose hash was altered, and events added past the head", async () => {
      const db = t.services.storage.db;
      const head = await db.selectFrom('audit_heads').selectAll().where('tenant_id', '=', tenantId).executeTakeFirstOrThrow();
      await db.updateTable('audit_heads').set({ hash: 'f'.repeat(64) }).where('tenant_id', '=', tenantId).execute();
      expect((await verifyAuditChain(t.services.storage, tenantId)).broken).toEqual({ seq: head.seq, reason: expect.stringContaining('the head was altered') });
      await db.updateTable('audit_heads').set({ seq: head.seq - 1 }).where('tenant_id', '=', tenantId).execute();
      expect((await verifyAuditChain(t.services.storage, tenantId)).broken?.reason).toContain('goes on past the head');
      await db.updateTable('audit_heads').set({ seq: head.seq, hash: head.hash }).where('tenant_id', '=', tenantId).execute();
      expect((await verifyAuditChain(t.services.storage, tenantId)).broken).toBeUndefined();
    });

    it('finds a removed event and a truncated tail', async () => {
      await dropGuard();
      const db = t.services.storage.db;
      const head = await db.selectFrom('audit_events').selectAll().where('tenant_id', '=', tenantId).orderBy('seq', 'desc').executeTakeFirstOrThrow();
      await db.deleteFrom('audit_events').where('id', '=', head.id).execute();
      const truncated = await verifyAuditChain(t.services.storage, tenantId);
      expect(truncated.broken?.reason).toContain('truncated');
      await db.insertInto('audit_events').values(head).execute();
      await db.deleteFrom('audit_events').where('tenant_id', '=', tenantId).where('seq', '=', 2).execute();
      const gap = await verifyAuditChain(t.services.storage, tenantId);
      expect(gap.broken).toEqual({ seq: 2, reason: 'event 2 is missing' });
    });
  });
}
