import type { TokenRow } from '../tokens/token-repository.js';
import { quote, type SeedEntry } from './seed-types.js';

/** Not text a label can hold (PostgreSQL cannot even store U+0000). */
const CONTROL_CHARACTER = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/**
 * The token rows of a file being read, each with where it came from, and the
 * indexes that the checks against the file and the tenant need.
 */
export class PreparedRows {
  readonly rows: TokenRow[] = [];
  /** Each row's `ref` in the file ("line 12", "key K1"). */
  readonly refs: string[] = [];
  /** Each row's place among the file's entries, to list problems in file order. */
  readonly positions: number[] = [];
  /** Yubico public id → row. */
  readonly byPublicId = new Map<string, number>();
  /** Lower-case username → the rows assigned to it. */
  readonly holders = new Map<string, { username: string; rows: number[] }>();
  private readonly bySerial = new Map<string, number>();

  /** Why `entry` cannot join the rows read so far; empty when it can. */
  conflicts({ spec, username }: SeedEntry): string[] {
    const reasons: string[] = [];
    // The parser catches the same serial twice; the inventory also refuses one that differs only in case.
    const sameSerial = this.bySerial.get(spec.serial.toLowerCase());
    if (sameSerial !== undefined) reasons.push(`duplicate serial ${quote(spec.serial)} (first at ${this.refs[sameSerial]})`);
    const samePublicId = spec.publicId === undefined ? undefined : this.byPublicId.get(spec.publicId);
    if (samePublicId !== undefined) reasons.push(`duplicate public id ${quote(spec.publicId!)} (first at ${this.refs[samePublicId]})`);
    for (const [field, value] of [['vendor', spec.vendor], ['model', spec.model], ['description', spec.description], ['username', username]] as const) {
      if (value && CONTROL_CHARACTER.test(value)) reasons.push(`${field} holds a control character`);
    }
    return reasons;
  }

  add(position: number, entry: SeedEntry, row: TokenRow): void {
    const index = this.rows.length;
    this.rows.push(row);
    this.refs.push(entry.ref);
    this.positions.push(position);
    this.bySerial.set(row.serial_lower, index);
    if (row.yubico_public_id) this.byPublicId.set(row.yubico_public_id, index);
    if (entry.username) {
      const key = entry.username.toLowerCase();
      const holder = this.holders.get(key) ?? { username: entry.username, rows: [] };
      holder.rows.push(index);
      this.holders.set(key, holder);
    }
  }
}
