// Gift-distribution orders (礼品分发): an organisation buyer fills the cart with ONE gift pack (礼包 —
// e.g. 1 box of 刺梨汁 and 1 tray of eggs) and uploads the recipient list (name, mobile, address,
// quantity = how many packs that person gets). Every row is validated first (gift-list.server.ts);
// a list with any bad row creates nothing. A good list becomes ONE organisation order (采购) with the
// pack × each recipient's quantity, placed through the same placement core as checkout (`placeItems`:
// quantity-break pricing at the order's total quantity per variant, atomic stock reservation, approval
// threshold), split into one parcel per recipient × seller carrying that recipient's address. Paid by
// bank transfer; finance's confirmation posts the ledger once per line as for any order.
import type { CurrentUser } from '~/modules/accounts/session.server';
import { clearCart } from '~/modules/cart/cart.server';
import { prisma } from '~/modules/db/db.server';
import { MAX_LINE_QUANTITY, OrderError, placeItems, type Buyer } from '~/modules/orders/orders.server';
import { MOBILE_MESSAGE, MOBILE_RE } from '~/modules/orders/schemas';
import { parseGiftList, type GiftListResult } from './gift-list.server';

export type GiftOrderInput = {
  organisationId: number;
  file: { filename: string; bytes: Buffer };
  /** one gift pack: each recipient gets `quantity` × their list quantity of each variant */
  pack: Array<{ variantId: number; quantity: number }>;
  invoiceTitle: string;
  taxNumber: string;
  /** the organisation's contact for this order (the order's own addressee) */
  contactName: string;
  contactMobile: string;
  note?: string;
  checkoutKey?: string;
  /** runs once the list and the contact are valid, just before the order is placed (the checkout rate limit) */
  beforePlace?: () => Promise<unknown>;
};

export type GiftOrderResult =
  | { ok: true; order: Awaited<ReturnType<typeof placeItems>>; recipients: number; packs: number }
  | { ok: false; list: Extract<GiftListResult, { ok: false }> };

/** The order's province / city / district codes: the organisation's place and its ancestors. */
async function organisationAddress(organisationId: number) {
  const org = await prisma.organisation.findUnique({
    where: { id: organisationId },
    select: { name: true, place: { select: { code: true, level: true, parent: { select: { code: true, level: true, parent: { select: { code: true } } } } } } },
  });
  if (!org) throw new OrderError('没有这个单位 / No such organisation', 'organisationId', 404);
  const p = org.place;
  const [provinceCode, cityCode, districtCode] =
    p.level === 'COUNTY' ? [p.parent?.parent?.code ?? p.code, p.parent?.code ?? p.code, p.code]
    : p.level === 'PREFECTURE' ? [p.parent?.code ?? p.code, p.code, p.code]
    : [p.code, p.code, p.code];
  return { name: org.name, provinceCode, cityCode, districtCode };
}

/**
 * Validates the list, then places the gift order. A bad list returns its row errors and creates
 * nothing; a bad order (stock, permission, invoice details) throws OrderError and creates nothing.
 */
export async function placeGiftOrder(buyer: Buyer, input: GiftOrderInput): Promise<GiftOrderResult> {
  const m = buyer.memberships.find((x) => x.organisation.id === input.organisationId);
  if (!m || (m.role !== 'BUYER' && m.role !== 'ADMIN')) throw new OrderError('您不能代表该单位下单 / You may not buy for that organisation', 'organisationId', 403);
  // the list first: its row errors are what the buyer most needs to see
  const list = await parseGiftList(input.file);
  if (!list.ok) return { ok: false, list };
  if (input.pack.length === 0) throw new OrderError('请先把礼包商品加入购物车 / Put the gift pack in the cart first', 'pack');
  const contactName = input.contactName.trim();
  if (contactName.length < 1 || contactName.length > 50) throw new OrderError('请填写联系人（最多50字） / Enter the contact name (at most 50 characters)', 'contactName');
  if (!MOBILE_RE.test(input.contactMobile.trim())) throw new OrderError(MOBILE_MESSAGE, 'contactMobile');
  // a pack item × a recipient's quantity is one order line: it must stay within the line limit
  const packMax = Math.max(...input.pack.map((p) => p.quantity));
  const over = list.recipients.find((r) => r.quantity * packMax > MAX_LINE_QUANTITY);
  if (over) {
    const most = Math.floor(MAX_LINE_QUANTITY / packMax);
    throw new OrderError(`第 ${over.rowNo} 行 ${over.quantity} 份 × 礼包中每份 ${packMax} 件超过单品上限 ${MAX_LINE_QUANTITY} 件；每人最多 ${most} 份 / Row ${over.rowNo}: ${over.quantity} packs × ${packMax} of an item is more than ${MAX_LINE_QUANTITY}; at most ${most} packs per recipient`, 'pack');
  }
  await input.beforePlace?.();
  const address = await organisationAddress(input.organisationId);
  const items = list.recipients.flatMap((r) => input.pack.map((p) => ({ variantId: p.variantId, quantity: p.quantity * r.quantity, recipientNo: r.rowNo })));
  const order = await placeItems(buyer, {
    items,
    recipients: list.recipients.map((r) => ({ no: r.rowNo, name: r.name, mobile: r.mobile, address: r.address })),
    organisationId: input.organisationId,
    invoiceTitle: input.invoiceTitle,
    taxNumber: input.taxNumber,
    ...address,
    street: `${address.name}（礼品分发，${list.recipients.length} 位收件人）`,
    recipient: contactName,
    mobile: input.contactMobile.trim(),
    note: input.note,
    provider: 'BANK_TRANSFER',
    checkoutKey: input.checkoutKey,
    placedNote: [`礼品分发：${list.recipients.length} 位收件人，共 ${list.totalQuantity} 份`, `gift distribution: ${list.recipients.length} recipients, ${list.totalQuantity} packs`],
  });
  return { ok: true, order, recipients: list.recipients.length, packs: list.totalQuantity };
}

/** The gift pack is the user's cart; on success the cart is emptied. */
export async function placeGiftOrderFromCart(user: CurrentUser, cartId: string | null, input: Omit<GiftOrderInput, 'pack'>) {
  const pack = cartId ? await prisma.cartLine.findMany({ where: { cartId }, select: { variantId: true, quantity: true }, orderBy: { addedAt: 'asc' } }) : [];
  const r = await placeGiftOrder(user, { ...input, pack });
  if (r.ok && cartId) await clearCart(cartId);
  return r;
}
