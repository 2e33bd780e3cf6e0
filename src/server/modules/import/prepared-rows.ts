import type { TokenRow } from '../tokens/token-repository.js';
import { quote, type SeedEntry } from './seed-types.js';

/** Not text a label can hold (PostgreSQL cannot even store U+0000). */
const CONTROL_CHARACTER = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** A row read from the file, with where it came from. */
export interface PreparedRow {
  row: TokenRow;
  /** "line 12", "key K1". */
  ref: string;
  /** Its place among the file's entries, to list problems in file order. */
  position: number;
  username?: string;
}

/**
 * The rows of a file as it is read, a chunk at a time, and what the checks
 * within the file need of the rows before them (serials and public ids seen).
 */
export class PreparedRows {
  private readonly firstBySerial = new Map<string, string>();
  private readonly firstByPublicId = new Map<string, string>();
  private pending: PreparedRow[] = [];

  constructor(private readonly chunkSize: number) {}

  /** Why `entry` cannot join the rows read so far; empty when it can. */
  conflicts({ spec, username }: SeedEntry): string[] {
    const reasons: string[] = [];
    // The parser catches the same serial twice; the inventory also refuses one that differs only in case.
    const sameSerial = this.firstBySerial.get(spec.serial.toLowerCase());
    if (sameSerial !== undefined) reasons.push(`duplicate serial ${quote(spec.serial)} (first at ${sameSerial})`);
    const samePublicId = spec.publicId === undefined ? undefined : this.firstByPublicId.get(spec.publicId);
    if (samePublicId !== undefined) reasons.push(`duplicate public id ${quote(spec.publicId!)} (first at ${samePublicId})`);
    for (const [field, value] of [['vendor', spec.vendor], ['model', spec.model], ['description', spec.description], ['username', username]] as const) {
      if (value && CONTROL_CHARACTER.test(value)) reasons.push(`${field} holds a control character`);
    }
    return reasons;
  }

  /** Adds a row; true when a chunk is full. */
  add(position: number, entry: SeedEntry, row: TokenRow): boolean {
    this.pending.push({ row, ref: entry.ref, position, ...(entry.username ? { username: entry.username } : {}) });
    this.firstBySerial.set(row.serial_lower, entry.ref);
    if (row.yubico_public_id) this.firstByPublicId.set(row.yubico_public_id, entry.ref);
    return this.pending.length >= this.chunkSize;
  }

  /** The rows added since the last call. */
  take(): PreparedRow[] {
    const chunk = this.pending;
    this.pending = [];
    return chunk;
  }
}
