// The parcels of an order page by page: a gift order can have thousands of recipients (one parcel each,
// per seller). Only the shown page is read (orders.server.ts → getOrderPage); the summary (recipients,
// parcels by state) always covers the whole order.

export const PARCELS_PER_PAGE = 50;

/** The `?parcels=` value as a page number (null → the first page); null when it is not a page number. */
export function parcelPageNumber(raw: string | null): number | null {
  if (raw === null) return 1;
  return /^[1-9][0-9]{0,5}$/.test(raw) ? Number(raw) : null;
}

/** Which page is shown (a page past the end shows the last one) and where it starts. */
export function parcelWindow(requested: number, total: number) {
  const pages = Math.max(1, Math.ceil(total / PARCELS_PER_PAGE));
  const page = Math.min(requested, pages);
  return { page, pages, skip: (page - 1) * PARCELS_PER_PAGE, take: PARCELS_PER_PAGE };
}

/** What the buyer may still do, from the whole order's parcel states (not the shown page's). */
export function parcelSteps(states: Record<string, number>) {
  const present = Object.entries(states).filter(([, n]) => n > 0).map(([s]) => s);
  return {
    allShipped: !present.includes('TO_SHIP'),
    allSettled: present.every((s) => s === 'DELIVERED' || s === 'CANCELLED'),
  };
}
