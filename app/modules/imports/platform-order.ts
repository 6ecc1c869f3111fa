// The one place that says what a platform order number looks like: "SH" followed by at least 8 digits
// (e.g. SH2026112300012). Platform sales reach the ledger by themselves (ORDER_LINE entries), so an
// offline import row whose evidence reference or description names a platform order would count the
// same sale twice: such rows are rejected as duplicates ("duplicate.platformOrder").
//
// The pattern is written so that JavaScript and PostgreSQL (`~*`, case-insensitive) read it the same
// way. Imports match it in JavaScript while reading each row (parse.server.ts `readRow`, staged as
// import_staging_row.platform_order); the set-based check turns a match into the row's reason. It could
// also join the matched number against the orders table; the pattern stays the way numbers are
// recognised in free text.
export const PLATFORM_ORDER_PATTERN = '(^|[^A-Za-z0-9])(SH[0-9]{8,})([^0-9]|$)';

const re = new RegExp(PLATFORM_ORDER_PATTERN, 'i');

/** The platform order number named in `text`, if any. */
export function platformOrderIn(text: string): string | null {
  const m = re.exec(text);
  return m ? m[2]!.toUpperCase() : null;
}
