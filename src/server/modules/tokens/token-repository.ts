import { sql, type Updateable } from 'kysely';
import type { TokenStats } from '../../../contract/tokens.js';
import type { Dialect, Executor } from '../../storage/db.js';
import { forUpdate } from '../../storage/locking.js';
import type { HwTokensTable } from '../../storage/schema.js';

export type TokenRow = HwTokensTable;
export type TokenUpdate = Updateable<HwTokensTable>;

/** `total` is exact up to this many matches (SPEC.md §6). */
export const TOTAL_CAP = 10_000;

/** Token rows of one tenant. Never knows about HTTP. */
export class TokenRepository {
  constructor(private readonly db: Executor, private readonly dialect: Dialect, readonly tenantId: string) {}

  private scoped() {
    return this.db.selectFrom('hw_tokens').where('tenant_id', '=', this.tenantId);
  }

  findById(id: string): Promise<TokenRow | undefined> {
    return this.scoped().selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Locks the row until the transaction ends (PostgreSQL). */
  lockById(id: string): Promise<TokenRow | undefined> {
    return forUpdate(this.scoped().selectAll().where('id', '=', id), this.dialect).executeTakeFirst();
  }

  findBySerial(serial: string): Promise<TokenRow | undefined> {
    return this.scoped().selectAll().where('serial_lower', '=', serial.toLowerCase()).executeTakeFirst();
  }

  async existingSerials(serialsLower: string[]): Promise<string[]> {
    if (serialsLower.length === 0) return [];
    const rows = await this.scoped().select('serial_lower').where('serial_lower', 'in', serialsLower).execute();
    return rows.map((r) => r.serial_lower);
  }

  async insert(rows: TokenRow[]): Promise<void> {
    if (rows.length > 0) await this.db.insertInto('hw_tokens').values(rows).execute();
  }

  ofUser(userId: string): Promise<TokenRow[]> {
    return this.scoped().selectAll().where((eb) => eb.or([eb('holder_id', '=', userId), eb('former_holder_id', '=', userId)]))
      .orderBy('serial_lower').execute();
  }

  async countActiveOfUser(userId: string, exceptTokenId: string): Promise<number> {
    const row = await this.scoped().select((eb) => eb.fn.countAll<number>().as('n'))
      .where('holder_id', '=', userId).where('status', '=', 'active').where('id', '!=', exceptTokenId).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /**
   * Compare-and-set: applies `change` only if nobody changed the row since it
   * was read at `version`. Returns the new row, or undefined when it lost a race.
   */
  async updateIfVersion(id: string, version: number, change: TokenUpdate): Promise<TokenRow | undefined> {
    return this.db.updateTable('hw_tokens').set({ ...change, version: version + 1 })
      .where('tenant_id', '=', this.tenantId).where('id', '=', id).where('version', '=', version)
      .returningAll().executeTakeFirst();
  }

  async stats(now: number): Promise<TokenStats> {
    const rows = await this.scoped()
      .select((eb) => [
        'status',
        eb.fn.countAll<number>().as('n'),
        eb.fn.count<number>('holder_id').as('assigned'),
        eb.fn.sum<number>(sql`case when locked_until > ${now} then 1 else 0 end`).as('locked'),
      ])
      .groupBy('status').execute();
    const stats: TokenStats = { total: 0, byStatus: { active: 0, disabled: 0, compromised: 0 }, assigned: 0, inStock: 0, locked: 0 };
    for (const row of rows) {
      const n = Number(row.n);
      stats.total += n;
      stats.byStatus[row.status as keyof TokenStats['byStatus']] = n;
      stats.assigned += Number(row.assigned);
      stats.locked += Number(row.locked ?? 0);
    }
    // In stock: ready to be assigned. A compromised token holds no one, and never will.
    stats.inStock = stats.total - stats.assigned - stats.byStatus.compromised;
    return stats;
  }
}
