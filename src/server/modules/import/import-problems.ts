import { AppError } from '../../lib/app-error.js';
import { SeedFileError } from './seed-types.js';

/** A refusal lists this many problems, then says how many more there are. */
export const MAX_LISTED_PROBLEMS = 1000;

/**
 * Every problem counted; of each kind, the first MAX_LISTED_PROBLEMS kept.
 * Problems of one kind are found in file order, so the kept ones hold the
 * first MAX_LISTED_PROBLEMS of the whole file.
 */
export class ProblemReport {
  private readonly kept: { at: number; ref: string; reason: string }[] = [];
  private readonly byKind = new Map<string, number>();
  total = 0;

  /** `at`: the entry's place in the file (-1 for the file as a whole). */
  add(kind: string, at: number, ref: string, reason: string): void {
    this.total++;
    const seen = this.byKind.get(kind) ?? 0;
    this.byKind.set(kind, seen + 1);
    if (seen < MAX_LISTED_PROBLEMS) this.kept.push({ at, ref, reason });
  }

  list(): { ref: string; reason: string }[] {
    const listed = [...this.kept].sort((a, b) => a.at - b.at).slice(0, MAX_LISTED_PROBLEMS).map(({ ref, reason }) => ({ ref, reason }));
    if (this.total > listed.length) listed.push({ ref: '…', reason: `… and ${this.total - listed.length} more` });
    return listed;
  }

  /** The refusal that lists them. */
  refusal(): AppError {
    const n = this.total;
    return new AppError('IMPORT_INVALID', `${n} problem${n === 1 ? '' : 's'}; nothing was imported.`, this.list());
  }
}

/** A problem with the whole file, reported like an entry's so that a report always lists its problems. */
export function fileProblem(reason: string, ref = 'file'): AppError {
  const where = ref === 'file' ? '' : `${ref}: `;
  return new AppError('IMPORT_INVALID', `The file cannot be imported: ${where}${reason}. Nothing was imported.`, [{ ref, reason }]);
}

/** The refusal an import answers for `error`, or undefined when it is not the file's fault. */
export function refusalOf(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  if (error instanceof SeedFileError) {
    if (error.line === undefined) return fileProblem(error.message);
    return fileProblem(error.message.replace(/^line \d+: /, ''), `line ${error.line}`);
  }
  return undefined;
}
