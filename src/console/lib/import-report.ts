/** A problem of a refused seed file, as the server lists it. */
export type ImportProblem = { ref: string; reason: string };

/**
 * How many problems the file has. The server lists the first 1,000 and then
 * one entry "… and N more" (ref "…"), which is a count, not a problem.
 */
export function problemTotal(problems: ImportProblem[]): number {
  const last = problems.at(-1);
  const more = last?.ref === '…' ? /(\d+) more/.exec(last.reason) : null;
  return more ? problems.length - 1 + Number(more[1]) : problems.length;
}
