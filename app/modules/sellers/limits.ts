// Limits and thresholds of the seller portal, shared by server modules and the UI (plain module:
// `.server` modules are emptied in the browser bundle).

/** Pictures per product. */
export const MAX_IMAGES_PER_PRODUCT = 9;
/** What the file pickers offer (the server checks the content anyway). */
export const IMAGE_ACCEPT_ATTR = 'image/jpeg,image/png,image/webp';
/** Staff invitation links expire after this many days. */
export const INVITATION_DAYS = 7;
/** Variants at or below this stock show as a warning on the seller's dashboard. */
export const LOW_STOCK_THRESHOLD = 10;
/** A variant priced more than this many times its reference market price is flagged for admins. */
export const OVERPRICED_RATIO = 1.5;
