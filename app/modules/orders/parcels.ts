// The parcels of an order page by page: a gift order can have thousands of recipients (one parcel each,
// per seller). The summary (recipients, parcels by state) always covers the whole order.

export const PARCELS_PER_PAGE = 50;

type Parcel = { id: number; state: string; recipientNo: number };
type Line = { fulfilmentId: number };

/**
 * Page `raw` (the `?parcels=` value; null for the first) of the order's parcels and their lines.
 * Returns null when `raw` is not a page number; a page past the end shows the last page.
 */
export function parcelPage<P extends Parcel, L extends Line>(fulfilments: P[], lines: L[], raw: string | null) {
  if (raw !== null && !/^[1-9][0-9]{0,5}$/.test(raw)) return null;
  const pages = Math.max(1, Math.ceil(fulfilments.length / PARCELS_PER_PAGE));
  const page = Math.min(Number(raw ?? 1), pages);
  const shown = fulfilments.slice((page - 1) * PARCELS_PER_PAGE, page * PARCELS_PER_PAGE);
  const ids = new Set(shown.map((f) => f.id));
  const states: Record<string, number> = {};
  for (const f of fulfilments) states[f.state] = (states[f.state] ?? 0) + 1;
  return {
    fulfilments: shown,
    lines: lines.filter((l) => ids.has(l.fulfilmentId)),
    pager: { page, pages, total: fulfilments.length, recipients: new Set(fulfilments.filter((f) => f.recipientNo > 0).map((f) => f.recipientNo)).size, states },
  };
}
