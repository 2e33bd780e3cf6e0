import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { HwToken } from '../../../contract/tokens.js';

const COLUMNS: [string, (t: HwToken) => string | number | boolean | null][] = [
  ['id', (t) => t.id], ['serial', (t) => t.serial], ['type', (t) => t.type], ['status', (t) => t.status],
  ['locked', (t) => t.locked], ['vendor', (t) => t.vendor], ['model', (t) => t.model], ['algorithm', (t) => t.algorithm],
  ['digits', (t) => t.digits], ['period', (t) => t.period], ['holder', (t) => t.holder?.username ?? null],
  ['holderName', (t) => t.holder?.displayName ?? null], ['assignedAt', (t) => t.assignedAt], ['failCount', (t) => t.failCount],
  ['lastUsedAt', (t) => t.lastUsedAt], ['createdAt', (t) => t.createdAt], ['compromisedAt', (t) => t.compromisedAt],
  ['compromiseReason', (t) => t.compromiseReason], ['compromisedBy', (t) => t.compromisedBy],
  ['formerHolder', (t) => t.formerHolder?.username ?? null], ['batchId', (t) => t.batchId], ['description', (t) => t.description],
];

/**
 * A cell starts a formula when its first character that is not white space
 * is = + - @ or their fullwidth forms (which some spreadsheets fold to them).
 * A leading tab or carriage return is escaped whatever follows (OWASP CSV injection).
 */
const FORMULA_START = /^(?:[\t\r]|\s*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20])/;

/** A cell that a spreadsheet would read as a formula is prefixed with a quote. */
export function safeCell(value: string | number | boolean | null): string {
  if (value === null) return '';
  const text = String(value);
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** The CSV export as a stream: one page of rows in memory at a time. */
export function tokensCsv(pages: AsyncIterable<HwToken[]>): Readable {
  const csv = stringify({ header: true, columns: COLUMNS.map(([name]) => name) });
  const rows = Readable.from((async function* () {
    for await (const page of pages) for (const token of page) yield COLUMNS.map(([, get]) => safeCell(get(token)));
  })());
  rows.on('error', (error) => csv.destroy(error));
  return rows.pipe(csv);
}
