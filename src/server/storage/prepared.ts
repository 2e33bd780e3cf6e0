import { CompiledQuery, type Compilable } from 'kysely';
import type { Dialect, Executor } from './db.js';

/** Stands for a named parameter while the query is built; never reaches the database. */
const MARK = '\u0000hwt-param:';

type Slot = { param: string } | { constant: unknown };

/**
 * PostgreSQL statement names of the prepared queries' SQL texts: a connection
 * parses and plans each of them once (see db.ts), instead of once per call.
 */
export const postgresStatementNames = new Map<string, string>();

/**
 * A query that Kysely builds and compiles once per dialect and then runs many
 * times with new parameters. On the verification path, building and compiling
 * a query costs more than SQLite takes to run it; everywhere else the plain
 * query builder is the clearer choice.
 *
 *   const headOf = new PreparedQuery<{ tenantId: string }, { seq: number }>((db, p) =>
 *     db.selectFrom('audit_heads').select('seq').where('tenant_id', '=', p('tenantId')));
 *   const rows = await headOf.execute(db, 'sqlite', { tenantId });
 */
export class PreparedQuery<P extends Record<string, unknown>, R> {
  private readonly compiled = new Map<Dialect, { sql: string; slots: Slot[] }>();

  constructor(private readonly build: (db: Executor, param: <K extends keyof P & string>(name: K) => P[K], dialect: Dialect) => Compilable<R>) {}

  async execute(db: Executor, dialect: Dialect, params: P): Promise<R[]> {
    const { sql, slots } = this.compiledFor(db, dialect);
    const values = slots.map((slot) => ('param' in slot ? params[slot.param] : slot.constant));
    return (await db.executeQuery<R>(CompiledQuery.raw(sql, values))).rows;
  }

  async first(db: Executor, dialect: Dialect, params: P): Promise<R | undefined> {
    return (await this.execute(db, dialect, params))[0];
  }

  private compiledFor(db: Executor, dialect: Dialect): { sql: string; slots: Slot[] } {
    let compiled = this.compiled.get(dialect);
    if (!compiled) {
      const query = this.build(db, (name) => `${MARK}${name}` as never, dialect).compile();
      const slots = query.parameters.map((value): Slot =>
        typeof value === 'string' && value.startsWith(MARK) ? { param: value.slice(MARK.length) } : { constant: value });
      compiled = { sql: query.sql, slots };
      this.compiled.set(dialect, compiled);
      if (dialect === 'postgres' && !postgresStatementNames.has(query.sql)) {
        postgresStatementNames.set(query.sql, `hwt_prepared_${postgresStatementNames.size + 1}`);
      }
    }
    return compiled;
  }
}
