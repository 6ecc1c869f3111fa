// Quantity breaks (阶梯价): a seller may set lower unit prices from a minimum quantity of one variant in
// one order (e.g. ≥10 件 → ¥35.00 each). Pure functions shared by the server (cart, checkout, gift
// orders) and the UI (product page, seller form). Money is integer 分; the price a buyer pays is always
// computed here on the server from the stored breaks, never taken from the client.

export type PriceBreak = { minQuantity: number; priceFen: number };

export const MAX_PRICE_BREAKS = 5;
export const MAX_BREAK_QUANTITY = 9999;

/**
 * The unit price for `quantity` units: the break with the largest minimum ≤ quantity, else the base
 * price — never above the base price (a seller who later lowers the base price never raises a price).
 */
export function unitPriceFor(baseFen: number, breaks: readonly PriceBreak[], quantity: number): number {
  let price = baseFen;
  let best = 0;
  for (const b of breaks) {
    if (b.minQuantity <= quantity && b.minQuantity > best) {
      best = b.minQuantity;
      price = b.priceFen;
    }
  }
  return Math.min(price, baseFen);
}

export type BreakProblem = { index: number; field: 'minQuantity' | 'priceFen'; message: string };

/**
 * Checks a seller's breaks in the order given: minimum quantities whole, from 2, strictly increasing;
 * prices > 0, below the base price and strictly decreasing. Returns every problem (empty: valid).
 */
export function checkPriceBreaks(baseFen: number, breaks: readonly PriceBreak[]): BreakProblem[] {
  const problems: BreakProblem[] = [];
  if (breaks.length > MAX_PRICE_BREAKS) problems.push({ index: MAX_PRICE_BREAKS, field: 'minQuantity', message: `最多 ${MAX_PRICE_BREAKS} 档 / At most ${MAX_PRICE_BREAKS} breaks` });
  breaks.forEach((b, i) => {
    const prev = breaks[i - 1];
    if (!Number.isSafeInteger(b.minQuantity) || b.minQuantity < 2 || b.minQuantity > MAX_BREAK_QUANTITY) {
      problems.push({ index: i, field: 'minQuantity', message: `起购数量应为 2 到 ${MAX_BREAK_QUANTITY} 的整数 / The minimum quantity is a whole number from 2 to ${MAX_BREAK_QUANTITY}` });
    } else if (prev && b.minQuantity <= prev.minQuantity) {
      problems.push({ index: i, field: 'minQuantity', message: `起购数量应大于上一档（${prev.minQuantity}） / Each minimum quantity must be above the previous one (${prev.minQuantity})` });
    }
    if (!Number.isSafeInteger(b.priceFen) || b.priceFen <= 0) {
      problems.push({ index: i, field: 'priceFen', message: '单价应大于 0 / The unit price must be above 0' });
    } else if (b.priceFen >= baseFen) {
      problems.push({ index: i, field: 'priceFen', message: `单价应低于原价 ¥${(baseFen / 100).toFixed(2)} / The unit price must be below the base price` });
    } else if (prev && b.priceFen >= prev.priceFen) {
      problems.push({ index: i, field: 'priceFen', message: `单价应低于上一档（¥${(prev.priceFen / 100).toFixed(2)}） / Each price must be below the previous break's` });
    }
  });
  return problems;
}
