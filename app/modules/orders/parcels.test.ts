import { describe, expect, it } from 'vitest';
import { PARCELS_PER_PAGE, parcelPage } from './parcels';

const order = (recipients: number, sellers = 1) => {
  const fulfilments = Array.from({ length: recipients * sellers }, (_, i) => ({ id: i + 1, state: i % 3 === 0 ? 'SHIPPED' : 'TO_SHIP', recipientNo: Math.floor(i / sellers) + 1 }));
  return { fulfilments, lines: fulfilments.map((f) => ({ id: f.id * 10, fulfilmentId: f.id })) };
};

describe('parcelPage', () => {
  it('pages the parcels and their lines; the summary covers the whole order', () => {
    const o = order(60, 2); // 120 parcels
    const p1 = parcelPage(o.fulfilments, o.lines, null)!;
    expect(p1.fulfilments.map((f) => f.id)).toEqual(Array.from({ length: PARCELS_PER_PAGE }, (_, i) => i + 1));
    expect(p1.lines.map((l) => l.fulfilmentId)).toEqual(p1.fulfilments.map((f) => f.id));
    expect(p1.pager).toEqual({ page: 1, pages: 3, total: 120, recipients: 60, states: { SHIPPED: 40, TO_SHIP: 80 } });
    const p3 = parcelPage(o.fulfilments, o.lines, '3')!;
    expect(p3.fulfilments.map((f) => f.id)).toEqual(Array.from({ length: 20 }, (_, i) => i + 101));
    expect(parcelPage(o.fulfilments, o.lines, '99')!.pager.page).toBe(3); // past the end: the last page
  });

  it('an ordinary order is one page; a malformed page is refused', () => {
    const o = order(0);
    expect(parcelPage([{ id: 1, state: 'TO_SHIP', recipientNo: 0 }], [{ fulfilmentId: 1 }], null)!.pager).toMatchObject({ page: 1, pages: 1, recipients: 0 });
    for (const bad of ['0', '-1', '1.5', 'abc', '', '9999999']) expect(parcelPage(o.fulfilments, o.lines, bad), bad).toBeNull();
  });
});
