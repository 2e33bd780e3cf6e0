import type { ImportReport } from '../../../contract/tokens.js';
import { AppError } from '../../lib/app-error.js';
import type { TenantContext } from '../../lib/context.js';
import { newId } from '../../lib/ids.js';
import { isUniqueViolation } from '../../storage/errors.js';
import { auditAlone, auditIn } from '../audit/audit-log.js';
import { newTokenRow } from '../tokens/token-factory.js';
import { TokenRepository, type TokenRow } from '../tokens/token-repository.js';
import { cleanFileName, peek } from './import-input.js';
import { fileProblem, ProblemReport, refusalOf } from './import-problems.js';
import { ImportRepository, LOOKUP_CHUNK } from './import-repository.js';
import { PreparedRows } from './prepared-rows.js';
import { detectSeedFormat, parseSeedFile, type SeedFormat } from './seed-file.js';
import { quote } from './seed-types.js';

export interface SeedImportOptions {
  /** Detected from the first KB of the file when not given. */
  format?: SeedFormat;
  /** PSKC pre-shared key. */
  key?: Buffer;
  /** PSKC password (PBKDF2). */
  password?: string;
}

/** A file read and checked in full, ready to be stored in one transaction. */
export interface PreparedImport {
  batchId: string;
  fileName: string;
  format: SeedFormat;
  rows: TokenRow[];
  assigned: number;
}

const DETECT_BYTES = 1024;

/**
 * Seed-file import (SPEC.md §7), all-or-nothing: the file streams through the
 * parser into prepared rows (key material already encrypted; the file itself
 * is never held), every entry is checked against the file and the tenant, and
 * only a file without a single problem is stored, in one transaction, as one
 * batch with one audit event. A refusal reports every problem and is audited.
 */
export class SeedImport {
  constructor(private readonly ctx: TenantContext) {}

  async importFile(input: AsyncIterable<Buffer | string>, fileName: string, options: SeedImportOptions = {}): Promise<ImportReport> {
    return this.commit(await this.prepare(input, fileName, options));
  }

  /** Reads and checks the whole file; throws IMPORT_INVALID (audited) when anything is wrong with it. */
  async prepare(input: AsyncIterable<Buffer | string>, fileName: string, options: SeedImportOptions = {}): Promise<PreparedImport> {
    const name = cleanFileName(fileName);
    let format = options.format;
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
      return await this.read(stream, name, format, options);
    } catch (error) {
      const refusal = refusalOf(error);
      if (!refusal) throw error;
      await this.refused(name, format, refusal);
      throw refusal;
    }
  }

  /** Stores a prepared file: the batch, its tokens and the audit event, in one transaction. */
  async commit(prepared: PreparedImport): Promise<ImportReport> {
    const { batchId, fileName, format, rows, assigned } = prepared;
    const detail = `${describeFile(fileName, format)}: ${rows.length} tokens, ${assigned} assigned, batch ${batchId}`;
    try {
      await this.ctx.storage.db.transaction().execute(async (tx) => {
        const repo = new ImportRepository(tx, this.ctx.storage.dialect, this.ctx.tenant.id);
        await repo.insertBatch({
          id: batchId, tenant_id: this.ctx.tenant.id, file_name: fileName, format, count: rows.length,
          created_by: this.ctx.actor, created_at: this.ctx.clock.now(),
        });
        await repo.insertTokens(rows);
        await auditIn(this.ctx, tx, { action: 'import', detail });
      });
    } catch (error) {
      // Another add or import took one of these serials since the check: the unique index decides.
      const refusal = isUniqueViolation(error)
        ? new AppError('IMPORT_INVALID', 'A token with a serial or public id of this file was added while the file was read; nothing was imported. Import the file again to see which.')
        : refusalOf(error);
      if (!refusal) throw error;
      await this.refused(fileName, format, refusal);
      throw refusal;
    }
    return { batchId, fileName, format, count: rows.length, assigned };
  }

  /** Audits a refused import (in a transaction of its own). */
  async refused(fileName: string, format: SeedFormat | undefined, error: AppError): Promise<void> {
    await auditAlone(this.ctx, { action: 'import', detail: `${describeFile(cleanFileName(fileName), format)}: ${error.code}: ${error.message}` }, 'refused');
  }

  private async read(input: AsyncIterable<Buffer | string>, fileName: string, format: SeedFormat, options: SeedImportOptions): Promise<PreparedImport> {
    const now = this.ctx.clock.now();
    const batchId = newId();
    const problems = new ProblemReport();
    const prepared = new PreparedRows();
    let position = 0;
    for await (const item of parseSeedFile(input, { format, key: options.key, password: options.password })) {
      const at = position++;
      if ('problem' in item) {
        problems.add(at, item.problem.ref, item.problem.reason);
        continue;
      }
      const reasons = prepared.conflicts(item.entry);
      if (reasons.length > 0) problems.add(at, item.entry.ref, reasons.join('; '));
      else prepared.add(at, item.entry, newTokenRow(this.ctx, item.entry.spec, { now, batchId }));
    }
    if (position === 0) throw fileProblem('the file holds no token entries');

    problems.nextPass();
    await this.checkSerialsInTenant(prepared, problems);
    problems.nextPass();
    await this.checkPublicIdsInTenant(prepared, problems);
    problems.nextPass();
    const assigned = await this.assignHolders(prepared, now, problems);
    if (problems.total > 0) {
      const n = problems.total;
      throw new AppError('IMPORT_INVALID', `${n} problem${n === 1 ? '' : 's'}; nothing was imported.`, problems.list());
    }
    return { batchId, fileName, format, rows: prepared.rows, assigned };
  }

  /** An import never overwrites key material: a serial already in the tenant is a problem. */
  private async checkSerialsInTenant({ rows, refs, positions }: PreparedRows, problems: ProblemReport): Promise<void> {
    const repo = new TokenRepository(this.ctx.storage.db, this.ctx.storage.dialect, this.ctx.tenant.id);
    for (let i = 0; i < rows.length; i += LOOKUP_CHUNK) {
      const chunk = rows.slice(i, i + LOOKUP_CHUNK);
      const existing = new Set(await repo.existingSerials(chunk.map((row) => row.serial_lower)));
      if (existing.size === 0) continue;
      chunk.forEach((row, offset) => {
        if (existing.has(row.serial_lower)) {
          problems.add(positions[i + offset]!, refs[i + offset]!, `serial ${quote(row.serial)} already exists in this tenant`);
        }
      });
    }
  }

  private async checkPublicIdsInTenant({ rows, refs, positions, byPublicId }: PreparedRows, problems: ProblemReport): Promise<void> {
    const repo = new ImportRepository(this.ctx.storage.db, this.ctx.storage.dialect, this.ctx.tenant.id);
    const ids = [...byPublicId.keys()];
    const found: number[] = [];
    for (let i = 0; i < ids.length; i += LOOKUP_CHUNK) {
      for (const id of await repo.existingPublicIds(ids.slice(i, i + LOOKUP_CHUNK))) found.push(byPublicId.get(id)!);
    }
    for (const index of found.sort((a, b) => a - b)) {
      problems.add(positions[index]!, refs[index]!, `public id ${quote(rows[index]!.yubico_public_id ?? '')} already belongs to a token of this tenant`);
    }
  }

  /** A username column names an existing user of the tenant, who then holds the token. */
  private async assignHolders({ rows, refs, positions, holders }: PreparedRows, now: number, problems: ProblemReport): Promise<number> {
    if (holders.size === 0) return 0;
    if (this.ctx.tenant.settings.requireProofOnAssign) {
      problems.add(-1, 'file', 'this tenant requires an OTP from a token to assign it, so a seed file cannot assign tokens: import it without the username column, then assign each token with its OTP');
      return 0;
    }
    const repo = new ImportRepository(this.ctx.storage.db, this.ctx.storage.dialect, this.ctx.tenant.id);
    const names = [...holders.keys()];
    const users = new Map<string, { id: string; username: string; username_lower: string }>();
    for (let i = 0; i < names.length; i += LOOKUP_CHUNK) {
      for (const user of await repo.usersByUsername(names.slice(i, i + LOOKUP_CHUNK))) users.set(user.username_lower, user);
    }
    const unknown: { index: number; username: string }[] = [];
    let assigned = 0;
    for (const [key, holder] of holders) {
      const user = users.get(key);
      for (const index of holder.rows) {
        if (!user) {
          unknown.push({ index, username: holder.username });
          continue;
        }
        const row = rows[index]!;
        row.holder_id = user.id;
        row.holder_sort = user.username_lower;
        row.assigned_at = now;
        assigned++;
      }
    }
    unknown.sort((a, b) => a.index - b.index);
    for (const { index, username } of unknown) problems.add(positions[index]!, refs[index]!, `no user ${quote(username, 100)} in this tenant`);
    return assigned;
  }
}




function describeFile(fileName: string, format: SeedFormat | undefined): string {
  return `file ${JSON.stringify(fileName)}${format ? ` (${format})` : ''}`;
}



