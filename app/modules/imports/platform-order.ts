// The one place that says what a platform order number looks like: "SH" followed by at least 8 digits
// (e.g. SH2026112300012). Platform sales reach the ledger by themselves (ORDER_LINE entries), so an
// offline import row whose evidence reference or description names a platform order would count the
// same sale twice: such rows are rejected as duplicates ("duplicate.platformOrder").
//
// The pattern is written so that JavaScript and PostgreSQL (`~*`, case-insensitive) read it the same
// way. When the orders table is merged, the import check (imports.server.ts, `platformOrderCheck`) can
// join the matched number against it; the pattern stays the way numbers are recognised in free text.
export const PLATFORM_ORDER_PATTERN = '(^|[^A-Za-z0-9])(SH[0-9]{8,})([^0-9]|$)';

const re = new RegExp(PLATFORM_ORDER_PATTERN, 'i');

/** The platform order number named in `text`, if any. */
export function platformOrderIn(text: string): string | null {
  const m = re.exec(text);
  return m ? m[2]!.toUpperCase() : null;
}
