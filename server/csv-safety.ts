/**
 * CSV cells made safe to open in a spreadsheet (formula injection, CWE-1236). Excel, LibreOffice and
 * Google Sheets run a cell starting with = + - @ as a formula. Some also skip leading blanks and line
 * breaks before looking (so " =cmd|..." runs too), and some read the full-width forms ＝ ＋ － ＠
 * (U+FF1D, U+FF0B, U+FF0D, U+FF20) as their ASCII twins. A cell starting with any of these, or with
 * any whitespace at all (tab, CR, LF, space, no-break and ideographic spaces), gets a leading `'`:
 * the spreadsheet shows it as text. Other cells are unchanged.
 */
const FORMULA_START = /^[=+\-@\s\uFF1D\uFF0B\uFF0D\uFF20]/u;

export function neutralise(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}
