/**
 * RFC 4180 CSV, as the audit, the edition map and the removal ledger write it: CRLF line ends, fields quoted only
 * when needed. Text cells hold text from captured pages, so a cell a spreadsheet would read as a formula (one that
 * starts with `=`, `+`, `-`, `@`, a tab or a carriage return) is neutralised as OWASP advises (CSV Injection): a
 * single quote in front, and the field quoted. Numbers stay numbers (a negative count is no formula), whether passed
 * as numbers or already formatted as a plain decimal ("-70.6", "+3"): nothing else can follow the sign.
 */
export function toCsv(rows: readonly (readonly (string | number)[])[]): string {
  return rows.map((row) => `${row.map(csvField).join(',')}\r\n`).join('');
}

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_DECIMAL = /^[+-]?\d+(\.\d+)?$/;

function csvField(value: string | number): string {
  if (typeof value === 'number') return String(value);
  if (FORMULA_START.test(value) && !PLAIN_DECIMAL.test(value)) return `"'${value.replace(/"/g, '""')}"`;
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
