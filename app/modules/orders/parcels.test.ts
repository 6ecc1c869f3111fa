import { describe, expect, it } from 'vitest';
import { PARCELS_PER_PAGE, parcelPageNumber, parcelSteps, parcelWindow } from './parcels';

describe('parcel pages', () => {
  it('reads the page number; anything else is refused', () => {
    expect(parcelPageNumber(null)).toBe(1);
    expect(parcelPageNumber('3')).toBe(3);
    for (const bad of ['0', '-1', '1.5', 'abc', '', '9999999', ' 2', '2 ']) expect(parcelPageNumber(bad), bad).toBeNull();
  });

  it('windows the parcels; a page past the end is the last page; an order without parcels is one page', () => {
    expect(parcelWindow(1, 120)).toEqual({ page: 1, pages: 3, skip: 0, take: PARCELS_PER_PAGE });
    expect(parcelWindow(3, 120)).toEqual({ page: 3, pages: 3, skip: 100, take: PARCELS_PER_PAGE });
    expect(parcelWindow(99, 120)).toMatchObject({ page: 3, skip: 100 });
    expect(parcelWindow(1, 50)).toMatchObject({ page: 1, pages: 1 });
    expect(parcelWindow(2, 51)).toMatchObject({ page: 2, pages: 2, skip: 50 });
    expect(parcelWindow(5, 0)).toMatchObject({ page: 1, pages: 1, skip: 0 });
  });

  it('the buyer\'s steps follow every parcel of the order', () => {
    expect(parcelSteps({ SHIPPED: 3, TO_SHIP: 1 })).toEqual({ allShipped: false, allSettled: false });
    expect(parcelSteps({ SHIPPED: 3, CANCELLED: 1 })).toEqual({ allShipped: true, allSettled: false });
    expect(parcelSteps({ DELIVERED: 3, CANCELLED: 1 })).toEqual({ allShipped: true, allSettled: true });
    expect(parcelSteps({ DELIVERED: 3, TO_SHIP: 0 })).toEqual({ allShipped: true, allSettled: true });
  });
});
