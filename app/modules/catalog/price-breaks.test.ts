import { describe, expect, it } from 'vitest';
import { checkPriceBreaks, unitPriceFor } from './price-breaks';

describe('quantity breaks', () => {
  const breaks = [{ minQuantity: 10, priceFen: 3500 }, { minQuantity: 50, priceFen: 3200 }];
  it('applies the largest break reached, never above the base price', () => {
    expect(unitPriceFor(3990, breaks, 1)).toBe(3990);
    expect(unitPriceFor(3990, breaks, 9)).toBe(3990);
    expect(unitPriceFor(3990, breaks, 10)).toBe(3500);
    expect(unitPriceFor(3990, breaks, 49)).toBe(3500);
    expect(unitPriceFor(3990, [...breaks].reverse(), 50)).toBe(3200);
    expect(unitPriceFor(3990, [], 500)).toBe(3990);
    // the base price was lowered below a break later: the base price wins
    expect(unitPriceFor(3000, breaks, 10)).toBe(3000);
  });
  it('checks increasing quantities, decreasing prices above 0 and below the base price', () => {
    expect(checkPriceBreaks(3990, breaks)).toEqual([]);
    const problems = checkPriceBreaks(3990, [{ minQuantity: 1, priceFen: 3990 }, { minQuantity: 10, priceFen: 3500 }, { minQuantity: 10, priceFen: 3600 }, { minQuantity: 20, priceFen: 0 }]);
    expect(problems.map((p) => [p.index, p.field])).toEqual([[0, 'minQuantity'], [0, 'priceFen'], [2, 'minQuantity'], [2, 'priceFen'], [3, 'priceFen']]);
    expect(problems[1]!.message).toContain('低于原价');
    expect(checkPriceBreaks(3990, Array.from({ length: 6 }, (_, i) => ({ minQuantity: 10 + i, priceFen: 3000 - i })))[0]!.message).toContain('最多 5 档');
  });
});
