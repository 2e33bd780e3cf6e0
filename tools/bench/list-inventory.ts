import crypto from 'node:crypto';
import type { Services } from '../../src/server/lib/context.js';
import { newTokenRow } from '../../src/server/modules/tokens/token-factory.js';
import type { TokenRow } from '../../src/server/modules/tokens/token-repository.js';
import type { TokenSpec } from '../../src/server/modules/tokens/token-spec.js';
import type { UsersTable } from '../../src/server/storage/schema.js';
import { hotpSpec, insertBatches, type SeededTenant } from './seed.js';

/**
 * A tenant's inventory as years of operation leave it: tokens arrive in import
 * batches of one model with consecutive serials; older batches are mostly handed
 * out, the newest mostly in stock; a few tokens were disabled or compromised;
 * assigned tokens are used; some carry a description. Deterministic for a given
 * size, so a kept database and the cases that query it agree.
 */

interface Model { vendor: string; model: string; type: TokenSpec['type']; prefix: string; share: number; bought: [number, number] }

/** What the tenant bought, each model's share of the tokens, and when (as parts of the four years): suppliers change. */
export const CATALOG: Model[] = [
  { vendor: 'Feitian', model: 'C200', type: 'hotp', prefix: 'FTC2', share: 0.28, bought: [0, 0.7] },
  { vendor: 'Feitian', model: 'C100', type: 'totp', prefix: 'FTC1', share: 0.12, bought: [0.3, 1] },
  { vendor: 'Token2', model: 'C302', type: 'totp', prefix: 'T2C3', share: 0.18, bought: [0.2, 1] },
  { vendor: 'OneSpan', model: 'Digipass 270', type: 'totp', prefix: 'DP27', share: 0.15, bought: [0, 0.5] },
  { vendor: 'Yubico', model: 'YubiKey 5 NFC', type: 'yubico', prefix: 'YK5N', share: 0.14, bought: [0.5, 1] },
  { vendor: 'Thales', model: 'OTP Display Card', type: 'hotp', prefix: 'THOC', share: 0.12, bought: [0, 0.4] },
  { vendor: 'Protectimus', model: 'Slim NFC', type: 'totp', prefix: 'PRSN', share: 0.006, bought: [0.6, 0.7] },
];

const FIRST_NAMES = ['maria', 'jose', 'anna', 'david', 'laura', 'daniel', 'sara', 'pablo', 'elena', 'javier', 'lucia', 'carlos', 'marta', 'miguel', 'paula', 'jorge', 'julia', 'alex', 'irene', 'sergio', 'emma', 'liam', 'olivia', 'noah', 'sophie', 'lukas', 'mia', 'felix', 'lea', 'jonas', 'chloe', 'hugo', 'ines', 'louis', 'zoe', 'arthur', 'nina', 'oscar', 'clara', 'leon'];
const LAST_NAMES = ['garcia', 'martin', 'lopez', 'sanchez', 'perez', 'gomez', 'fernandez', 'ruiz', 'diaz', 'moreno', 'muller', 'schmidt', 'schneider', 'fischer', 'weber', 'meyer', 'wagner', 'becker', 'schulz', 'hoffmann', 'dubois', 'durand', 'leroy', 'moreau', 'simon', 'laurent', 'lefebvre', 'michel', 'smith', 'jones', 'taylor', 'brown', 'wilson', 'evans', 'thomas', 'roberts', 'rossi', 'russo', 'ferrari', 'esposito'];
const DESCRIPTIONS = ['Loaner for visitors', 'Replacement for a lost token', 'Front desk', 'Spare, site Berlin floor 3', 'Returned damaged, to check', 'Night shift pool', 'Branch office Lyon', 'Executive travel kit'];

const DAY = 86_400_000;
/** Share of the tokens described, and of the newest tokens still in stock. */
const DESCRIBED = 0.08;
const IN_STOCK_TAIL = 0.15;

export interface Inventory {
  users: UsersTable[];
  batches: { id: string; size: number; model: Model; createdAt: number }[];
}

/** A small seeded generator (mulberry32): the same inventory on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A UUID-shaped id drawn from `next`, so that ids repeat from run to run. */
function idFrom(next: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(next() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20)}`;
}

/** The users and import batches of an inventory of `tokens` tokens (about 0.4 users per token). */
export function planInventory(tenantId: string, tokens: number, seed = 1): Inventory {
  const next = random(seed);
  const now = Date.UTC(2026, 10, 1);
  const users = Array.from({ length: Math.max(1, Math.round(tokens * 0.4)) }, (_, i): UsersTable => {
    const username = `${FIRST_NAMES[Math.floor(next() * FIRST_NAMES.length)]}.${LAST_NAMES[Math.floor(next() * LAST_NAMES.length)]}${i}`;
    return { id: idFrom(next), tenant_id: tenantId, username, username_lower: username, display_name: username, email: `${username}@example.org`, external_id: null, created_at: now - 5 * 365 * DAY };
  });
  const batches: Inventory['batches'] = [];
  const start = now - 4 * 365 * DAY;
  const counts = new Map<Model, number>();
  for (let left = tokens; left > 0;) {
    const model = modelFor((tokens - left) / tokens, tokens - left, counts);
    // Most files hold a few thousand tokens, a large rollout up to 100,000; never far more than the model's share.
    const wanted = next() < 0.04 ? 50_000 + Math.floor(next() * 50_000) : 500 + Math.floor(next() * 19_500);
    const size = Math.min(left, wanted, Math.max(500, Math.ceil(model.share * tokens - (counts.get(model) ?? 0))));
    counts.set(model, (counts.get(model) ?? 0) + size);
    batches.push({ id: idFrom(next), size, model, createdAt: start + Math.floor(((tokens - left) / tokens) * 4 * 365 * DAY) });
    left -= size;
  }
  return { users, batches };
}

/** Of the models bought at `when`, the one furthest behind its share: even a rare one gets its share. */
function modelFor(when: number, bought: number, counts: Map<Model, number>): Model {
  const current = CATALOG.filter((m) => m.bought[0] <= when && when < m.bought[1]);
  const behind = (m: Model) => m.share * bought - (counts.get(m) ?? 0);
  return current.reduce((a, b) => (behind(b) > behind(a) ? b : a));
}

/** Stores the inventory's users, batches and tokens in the tenant. */
export async function seedInventory(services: Services, seeded: SeededTenant, tokens: number, seed = 1): Promise<Inventory> {
  const inventory = planInventory(seeded.ctx.tenant.id, tokens, seed);
  await insertBatches(services, 'users', inventory.users);
  await services.storage.db.insertInto('import_batches').values(inventory.batches.map((b) => ({
    id: b.id, tenant_id: seeded.ctx.tenant.id, file_name: `${b.model.prefix.toLowerCase()}-${b.createdAt}.xml`, format: 'pskc', count: b.size, created_by: 'bench', created_at: b.createdAt,
  }))).execute();
  // 500 rows of ~37 columns stay under SQLite's 32,766 bound parameters.
  await insertBatches(services, 'hw_tokens', tokenRows(seeded, inventory, tokens, random(seed + 1)), 500);
  return inventory;
}

function* tokenRows(seeded: SeededTenant, inventory: Inventory, tokens: number, next: () => number): Generator<TokenRow> {
  const secret = crypto.randomBytes(20);
  const serials = new Map<string, number>();
  let position = 0;
  for (const batch of inventory.batches) {
    for (let i = 0; i < batch.size; i++, position++) {
      const number = serials.get(batch.model.prefix) ?? 0;
      serials.set(batch.model.prefix, number + 1);
      const spec = specOf(batch.model, `${batch.model.prefix}${String(number).padStart(7, '0')}`, secret, next);
      const row = newTokenRow(seeded.ctx, spec, { now: batch.createdAt, batchId: batch.id });
      const inStockTail = position >= tokens * (1 - IN_STOCK_TAIL);
      if (next() < (inStockTail ? 0.15 : 0.85)) handOut(row, inventory.users[Math.floor(next() * inventory.users.length)]!, next);
      else if (next() < 0.03) row.status = 'disabled';
      yield row;
    }
  }
}

function specOf(model: Model, serial: string, secret: Buffer, next: () => number): TokenSpec {
  const description = next() < DESCRIBED ? `${DESCRIPTIONS[Math.floor(next() * DESCRIPTIONS.length)]} #${Math.floor(next() * 1000)}` : null;
  const common = { vendor: model.vendor, model: model.model, description };
  if (model.type !== 'yubico') return { ...hotpSpec(serial, secret), ...common, type: model.type };
  const publicId = Array.from(serial.slice(4).padStart(12, '0'), (d) => 'cbdefghijk'[Number(d)]).join('');
  return { ...hotpSpec(serial, secret), ...common, type: 'yubico', secret: undefined, publicId, privateId: secret.subarray(0, 6), aesKey: secret.subarray(0, 16) };
}

/** A token handed to a user: mostly active and used, a few disabled, some compromised since. */
function handOut(row: TokenRow, user: UsersTable, next: () => number): void {
  const assignedAt = row.created_at + Math.floor(next() * 30 * DAY);
  const now = Date.UTC(2026, 10, 1);
  const fate = next();
  // Used until recently, or until it was disabled or lost.
  const usedAt = next() < 0.85 ? (fate < 0.07 ? assignedAt + Math.floor(next() * (now - 90 * DAY - assignedAt)) : now - Math.floor(next() * 90 * DAY)) : 0;
  if (fate < 0.02) {
    Object.assign(row, { status: 'compromised', former_holder_id: user.id, secret_enc: null, compromised_at: usedAt || assignedAt, compromise_reason: 'lost', compromised_by: 'helpdesk', updated_at: usedAt || assignedAt, last_used_at: usedAt });
    return;
  }
  Object.assign(row, { holder_id: user.id, holder_sort: user.username_lower, assigned_at: assignedAt, updated_at: Math.max(assignedAt, usedAt), last_used_at: usedAt });
  if (fate < 0.07) row.status = 'disabled';
}
