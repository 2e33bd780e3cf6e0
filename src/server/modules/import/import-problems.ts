import { AppError } from '../../lib/app-error.js';
import { SeedFileError } from './seed-types.js';

/** A refusal lists this many problems, then says how many more there are. */
export const MAX_LISTED_PROBLEMS = 1000;

/**
 * Every problem counted; the first MAX_LISTED_PROBLEMS of each pass kept.
 * Each pass adds in file order, so the kept ones hold the first
 * MAX_LISTED_PROBLEMS of the whole file.
 */
export class ProblemReport {
  private readonly kept: { at: number; ref: string; reason: string }[] = [];
  private inPass = 0;
  total = 0;

  add(at: number, ref: string, reason: string): void {
    this.total++;
    if (this.inPass++ < MAX_LISTED_PROBLEMS) this.kept.push({ at, ref, reason });
  }

  nextPass(): void {
    this.inPass = 0;
  }

  list(): { ref: string; reason: string }[] {
    const listed = [...this.kept].sort((a, b) => a.at - b.at).slice(0, MAX_LISTED_PROBLEMS).map(({ ref, reason }) => ({ ref, reason }));
    if (this.total > listed.length) listed.push({ ref: '…', reason: `… and ${this.total - listed.length} more` });
    return listed;
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
