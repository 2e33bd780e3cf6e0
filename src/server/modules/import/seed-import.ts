import type { ImportReport } from '../../../contract/tokens.js';
import { AppError } from '../../lib/app-error.js';
import type { TenantContext } from '../../lib/context.js';
import { newId } from '../../lib/ids.js';
import type { Executor } from '../../storage/db.js';
import { isUniqueViolation } from '../../storage/errors.js';
import { auditAlone } from '../audit/audit-log.js';
import { newTokenRow } from '../tokens/token-factory.js';
import { cleanFileName, peek } from './import-input.js';
import { fileProblem, ProblemReport, refusalOf } from './import-problems.js';
import { ImportRepository, LOOKUP_CHUNK } from './import-repository.js';
import { PreparedRows, type PreparedRow } from './prepared-rows.js';
import { StoringQueue } from './storing-queue.js';
import { detectSeedFormat, parseSeedFile, type SeedFormat } from './seed-file.js';
import { quote } from './seed-types.js';
import { openTokenStore, type TokenStore } from './token-store.js';

export interface SeedImportOptions {
  /** Detected from the first KB of the file when not given. */
  format?: SeedFormat;
  /** PSKC pre-shared key. */
  key?: Buffer;
  /** PSKC password (PBKDF2). */
  password?: string;
}

/** A file read and checked in full, its rows stored but not yet visible. */
export interface PreparedImport {
  batchId: string;
  fileName: string;
  format: SeedFormat;
  count: number;
  assigned: number;
  store: TokenStore;
}

const DETECT_BYTES = 1024;
/** Chunks stored while the parser reads on (each about 0.5 MB of rows). */
const CHUNKS_IN_FLIGHT = 4;

type User = { id: string; username: string; username_lower: string };

/** Per read: the users named so far (null: no such user), and whether assigning from a file was refused. */
interface Holders {
  users: Map<string, User | null>;
  refused: boolean;
  assigned: number;
}

/**
 * Seed-file import (SPEC.md §7), all-or-nothing: the file streams through the
 * parser a chunk of rows at a time (key material encrypted at once; the file
 * itself is never held); each chunk is checked against the file and the
 * tenant and handed to a TokenStore, which makes the rows visible, with the
 * batch and one audit event, only when the whole file had no problem. A
 * refusal reports every problem and is audited.
 */
export class SeedImport {
  constructor(private readonly ctx: TenantContext) {}

  async importFile(input: AsyncIterable<Buffer | string>, fileName: string, options: SeedImportOptions = {}): Promise<ImportReport> {
    return this.commit(await this.prepare(input, fileName, options));
  }

  /** Reads, checks and stores the whole file; throws IMPORT_INVALID (audited) when anything is wrong with it. */
  async prepare(input: AsyncIterable<Buffer | string>, fileName: string, options: SeedImportOptions = {}): Promise<PreparedImport> {
    const name = cleanFileName(fileName);
    let format = options.format;
    const store = await openTokenStore(this.ctx);
    try {
      let stream = input;
      if (!format) {
        const peeked = await peek(input, DETECT_BYTES);
        stream = peeked.stream;
        format = detectSeedFormat(peeked.head);
        if (!format) {
          throw fileProblem('the format could not be told from the content: give the format (pskc, csv, yubico-csv or otpauth)');
        }
      }
      return await this.read(stream, name, format, options, store);
    } catch (error) {
      await store.abandon();
      throw await this.refusedFor(error, name, format);
    }
  }

  /** Makes a prepared file visible: its tokens, the batch and the audit event, at once. */
  async commit(prepared: PreparedImport): Promise<ImportReport> {
    const { batchId, fileName, format, count, assigned, store } = prepared;
    const detail = `${describeFile(fileName, format)}: ${count} tokens, ${assigned} assigned, batch ${batchId}`;
    try {
      await store.finish(
        { id: batchId, tenant_id: this.ctx.tenant.id, file_name: fileName, format, count, created_by: this.ctx.actor, created_at: this.ctx.clock.now() },
        { action: 'import', detail },
      );
    } catch (error) {
      await store.abandon();
      throw await this.refusedFor(error, fileName, format);
    }
    return { batchId, fileName, format, count, assigned };
  }

  /** Drops a prepared file that will not be committed (harmless after a commit). */
  abandon(prepared: PreparedImport): Promise<void> {
    return prepared.store.abandon();
  }

  /** Audits a refused import (in a transaction of its own). */
  async refused(fileName: string, format: SeedFormat | undefined, error: AppError): Promise<void> {
    await auditAlone(this.ctx, { action: 'import', detail: `${describeFile(cleanFileName(fileName), format)}: ${error.code}: ${error.message}` }, 'refused');
  }

  /** The error to throw for `error`: a refusal (audited) when the file is at fault. */
  private async refusedFor(error: unknown, fileName: string, format: SeedFormat | undefined): Promise<unknown> {
    // Another add or import took one of these serials since the check: the unique index decides.
    const refusal = isUniqueViolation(error)
      ? new AppError('IMPORT_INVALID', 'A token with a serial or public id of this file was added while the file was read; nothing was imported. Import the file again to see which.')
      : refusalOf(error);
    if (!refusal) return error;
    await this.refused(fileName, format, refusal);
    return refusal;
  }

  private async read(input: AsyncIterable<Buffer | string>, fileName: string, format: SeedFormat, options: SeedImportOptions, store: TokenStore): Promise<PreparedImport> {
    const now = this.ctx.clock.now();
    const batchId = newId();
    const problems = new ProblemReport();
    const rows = new PreparedRows(LOOKUP_CHUNK);
    const holders: Holders = { users: new Map(), refused: false, assigned: 0 };
    let position = 0;
    let count = 0;
    // Storing is the check against the tenant's serials and public ids, so it goes on after a problem, for the report.
    const storing = new StoringQueue(store, CHUNKS_IN_FLIGHT, (chunk, taken) => this.reportTaken(chunk, taken, store.executor, problems));
    const flush = async () => {
      const chunk = rows.take();
      if (chunk.length === 0) return;
      await this.assignHolders(chunk, store.executor, now, problems, holders);
      count += chunk.length;
      await storing.add(chunk);
    };
    for await (const item of parseSeedFile(input, { format, key: options.key, password: options.password })) {
      const at = position++;
      if ('problem' in item) {
        problems.add('entry', at, item.problem.ref, item.problem.reason);
        continue;
      }
      const reasons = rows.conflicts(item.entry);
      if (reasons.length > 0) problems.add('entry', at, item.entry.ref, reasons.join('; '));
      else if (rows.add(at, item.entry, newTokenRow(this.ctx, item.entry.spec, { now, batchId }))) await flush();
    }
    await flush();
    await storing.drain();
    if (position === 0) throw fileProblem('the file holds no token entries');
    if (problems.total > 0) throw problems.refusal();
    return { batchId, fileName, format, count, assigned: holders.assigned, store };
  }

  /** An import never overwrites key material: a row whose serial or public id the tenant already has (`taken`) is a problem. */
  private async reportTaken(chunk: PreparedRow[], taken: Set<string>, db: Executor, problems: ProblemReport): Promise<void> {
    if (taken.size === 0) return;
    const refused = chunk.filter(({ row }) => taken.has(row.id));
    const keys = await new ImportRepository(db, this.ctx.storage.dialect, this.ctx.tenant.id).takenKeys(refused.map(({ row }) => row));
    for (const { row, ref, position } of refused) {
      // Each row left out is a problem: its serial, unless only its public id was found taken.
      const publicIdTaken = row.yubico_public_id !== null && keys.publicIds.has(row.yubico_public_id);
      if (keys.serials.has(row.serial_lower) || !publicIdTaken) problems.add('serial', position, ref, `serial ${quote(row.serial)} already exists in this tenant`);
      if (publicIdTaken) problems.add('public-id', position, ref, `public id ${quote(row.yubico_public_id!)} already belongs to a token of this tenant`);
    }
  }

  /** The holders that a chunk's username column names (looked up once each). */
  private async assignHolders(chunk: PreparedRow[], db: Executor, now: number, problems: ProblemReport, holders: Holders): Promise<void> {
    if (!chunk.some(({ username }) => username)) return;
    await this.findUsers(chunk, new ImportRepository(db, this.ctx.storage.dialect, this.ctx.tenant.id), holders);
    for (const { row, ref, position, username } of chunk) {
      if (username) this.assign(row, { ref, position, username }, now, problems, holders);
    }
  }

  /** Looks up, once each, the users that the chunk names. */
  private async findUsers(chunk: PreparedRow[], repo: ImportRepository, holders: Holders): Promise<void> {
    const unknown = [...new Set(chunk.flatMap(({ username }) => (username ? [username.toLowerCase()] : [])))].filter((name) => !holders.users.has(name));
    if (unknown.length === 0) return;
    for (const name of unknown) holders.users.set(name, null);
    for (const user of await repo.usersByUsername(unknown)) holders.users.set(user.username_lower, user);
  }

  /** A username column names an existing user of the tenant, who then holds the token. */
  private assign(row: PreparedRow['row'], at: { ref: string; position: number; username: string }, now: number, problems: ProblemReport, holders: Holders): void {
    if (this.ctx.tenant.settings.requireProofOnAssign) {
      if (!holders.refused) {
        problems.add('file', -1, 'file', 'this tenant requires an OTP from a token to assign it, so a seed file cannot assign tokens: import it without the username column, then assign each token with its OTP');
      }
      holders.refused = true;
      return;
    }
    const user = holders.users.get(at.username.toLowerCase());
    if (!user) {
      problems.add('username', at.position, at.ref, `no user ${quote(at.username, 100)} in this tenant`);
      return;
    }
    row.holder_id = user.id;
    row.holder_sort = user.username_lower;
    row.assigned_at = now;
    holders.assigned++;
  }
}

function describeFile(fileName: string, format: SeedFormat | undefined): string {
  return `file ${JSON.stringify(fileName)}${format ? ` (${format})` : ''}`;
}
