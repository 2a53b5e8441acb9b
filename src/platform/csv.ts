/**
 * A CSV cell: quoted when it needs to be, and never read as a formula by a spreadsheet (a text starting with
 * = + - @, a tab or a carriage return gets a leading apostrophe). Numbers are written as they are.
 */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
