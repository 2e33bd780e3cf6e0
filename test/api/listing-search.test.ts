// SPEC §6 free text `q`: a case-insensitive substring of the serial, the holder's username or the description, exactly, on
// both databases, whether a trigram index narrows the search (3 characters or more) or not, and as tokens change holders.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/databases.js';
import { addToken, addUser } from '../helpers/factories.js';
import { tokenUrl } from '../helpers/api-checks.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { csvFile, importSeed } from './import-support.js';

const USERS = ['Jürgen.Groß', 'o_brien', 'ZED', 'anna-maria', 'ßtraße'];
const TOKENS: { serial: string; description?: string; holder?: string }[] = [
  { serial: 'AB-123', holder: 'ZED', description: 'Front desk' },
  { serial: 'ab-1234', description: '100% spare' },
  { serial: 'XY_77', holder: 'o_brien', description: 'said "hello" twice' },
  { serial: 'Q.9:8/7', holder: 'Jürgen.Groß', description: 'Ærøskøbing branch' },
  { serial: 'LONGSERIAL000123', holder: 'anna-maria', description: 'spare   (three spaces)' },
  { serial: 'NODESC1' },
  { serial: 'STRASSE-1', holder: 'ßtraße', description: 'İstanbul office' },
];

/** What SPEC §6 asks for, computed here from what was stored. */
const expected = (q: string, holders: Map<string, string>) =>
  TOKENS.filter(({ serial, description }) => [serial, holders.get(serial) ?? '', description ?? ''].some((text) => text.toLowerCase().includes(q.toLowerCase())))
    .map((t) => t.serial).sort();

const QUERIES = [
  'a', 'AB', 'ab-', '123', '-123', 'b-12', 'zed', 'Zed', '_', 'o_b', '%', '100%', '"hello"', 'LLO" T', 'jürgen', 'GROSS', 'groß',
  'ærø', 'ÆRØSK', '   ', 'es   (', 'q.9:8/7', '8/', 'serial0001', 'nomatch', 'desk', 'dESK', '123 zed', '123zed', 'spare',
  'i̇stanbul', 'İSTANBUL', 'ßtr', 'strasse',
];

for (const dialect of DIALECTS) {
  describe(`token list free text (${dialect})`, () => {
    let t: TestApp;
    let base: string;
    const ids = new Map<string, string>();
    const users = new Map<string, string>();
    /** Serial → holder username, as it stands. */
    const holders = new Map<string, string>();

    beforeAll(async () => {
      t = await startTestApp(dialect);
      base = `/api/v1/tenants/${t.tenant}`;
      for (const username of USERS) users.set(username, (await addUser(t.admin, t.tenant, username)).id);
      for (const { serial, description, holder } of TOKENS) {
        const token = await addToken(t.admin, t.tenant, { serial, type: 'hotp', ...(description ? { description } : {}) });
        ids.set(serial, token.id);
        if (holder) await assign(serial, holder);
      }
    });
    afterAll(async () => { await t?.close(); });

    async function assign(serial: string, username: string) {
      const reply = await t.admin.post(tokenUrl(t, ids.get(serial)!, 'assign'), { userId: users.get(username) });
      expect(reply.status, reply.text).toBe(200);
      holders.set(serial, username);
    }

    const search = async (q: string, extra = '') => {
      const reply = await t.admin.get(`${base}/hw-tokens?limit=500&q=${encodeURIComponent(q)}${extra}`);
      expect(reply.status, reply.text).toBe(200);
      expect(reply.body).toMatchObject({ total: reply.body.items.length, totalCapped: false });
      return reply.body.items.map((x: { serial: string }) => x.serial).sort();
    };

    it('matches a substring of serial, holder or description, in any case, and never across them', async () => {
      for (const q of QUERIES) expect(await search(q), `q=${JSON.stringify(q)}`).toEqual(expected(q, holders));
    });

    it('finds the new holder after an assignment, and not the old one after an unassignment', async () => {
      expect(await search('o_brien')).toEqual(['XY_77']);
      await t.admin.post(tokenUrl(t, ids.get('XY_77')!, 'unassign'));
      holders.delete('XY_77');
      expect(await search('o_brien')).toEqual([]);
      await assign('NODESC1', 'o_brien');
      expect(await search('O_BRIEN')).toEqual(['NODESC1']);
      expect(await search('brien', '&sort=-createdAt&status=active')).toEqual(['NODESC1']);
    });

    it('forgets the holder of a compromised token', async () => {
      await t.admin.post(tokenUrl(t, ids.get('AB-123')!, 'compromise'), { reason: 'lost' });
      holders.delete('AB-123');
      expect(await search('zed')).toEqual([]);
      expect(await search('front desk')).toEqual(['AB-123']);
    });

    it('finds imported tokens', async () => {
      const imported = await importSeed(t.admin, t.tenant, { name: 'search.csv', content: csvFile([{ serial: 'IMPORTED-777' }]) });
      expect(imported.status, imported.text).toBe(201);
      expect(await search('rted-77')).toEqual(['IMPORTED-777']);
    });

    it('pages through the matches in every order', async () => {
      for (const sort of ['serial', '-createdAt', 'holder', '-status']) {
        const all = (await t.admin.get(`${base}/hw-tokens?limit=500&q=a&sort=${sort}`)).body.items.map((x: { id: string }) => x.id);
        const first = await t.admin.get(`${base}/hw-tokens?limit=2&q=a&sort=${sort}`);
        const second = await t.admin.get(`${base}/hw-tokens?limit=500&q=a&sort=${sort}&cursor=${encodeURIComponent(first.body.nextCursor)}`);
        expect([...first.body.items, ...second.body.items].map((x: { id: string }) => x.id), sort).toEqual(all);
        expect(second.body.total).toBe(all.length);
      }
    });
  });
}
