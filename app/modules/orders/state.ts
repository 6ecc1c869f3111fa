// The order and fulfilment state machines: every allowed transition is listed here, everything else is
// refused with a message that says what the order is and what can be done. Shared by server and UI.
export const ORDER_STATES = ['AWAITING_APPROVAL', 'AWAITING_PAYMENT', 'PAID', 'SHIPPED', 'DELIVERED', 'COMPLETED', 'CANCELLED', 'EXPIRED', 'PARTLY_REFUNDED', 'REFUNDED'] as const;
export type OrderState = (typeof ORDER_STATES)[number];

export const FULFILMENT_STATES = ['AWAITING_PAYMENT', 'TO_SHIP', 'SHIPPED', 'DELIVERED', 'CANCELLED'] as const;
export type FulfilmentState = (typeof FULFILMENT_STATES)[number];

export type OrderAction = 'approve' | 'reject' | 'pay' | 'cancel' | 'expire' | 'ship' | 'deliver' | 'complete' | 'refundPart' | 'refundAll';

/** from → action → to. A partly refunded order can still be shipped, delivered and completed. */
const ORDER_TRANSITIONS: Record<OrderState, Partial<Record<OrderAction, OrderState>>> = {
  AWAITING_APPROVAL: { approve: 'AWAITING_PAYMENT', reject: 'CANCELLED', cancel: 'CANCELLED' },
  AWAITING_PAYMENT: { pay: 'PAID', cancel: 'CANCELLED', expire: 'EXPIRED' },
  PAID: { ship: 'SHIPPED', refundPart: 'PARTLY_REFUNDED', refundAll: 'REFUNDED' },
  SHIPPED: { deliver: 'DELIVERED', refundPart: 'PARTLY_REFUNDED', refundAll: 'REFUNDED' },
  DELIVERED: { complete: 'COMPLETED', refundPart: 'PARTLY_REFUNDED', refundAll: 'REFUNDED' },
  COMPLETED: { refundPart: 'PARTLY_REFUNDED', refundAll: 'REFUNDED' },
  PARTLY_REFUNDED: { ship: 'PARTLY_REFUNDED', deliver: 'PARTLY_REFUNDED', complete: 'PARTLY_REFUNDED', refundPart: 'PARTLY_REFUNDED', refundAll: 'REFUNDED' },
  CANCELLED: {},
  EXPIRED: {},
  REFUNDED: {},
};

const FULFILMENT_TRANSITIONS: Record<FulfilmentState, Partial<Record<'pay' | 'ship' | 'deliver' | 'cancel', FulfilmentState>>> = {
  AWAITING_PAYMENT: { pay: 'TO_SHIP', cancel: 'CANCELLED' },
  TO_SHIP: { ship: 'SHIPPED', cancel: 'CANCELLED' },
  SHIPPED: { deliver: 'DELIVERED' },
  DELIVERED: {},
  CANCELLED: {},
};

export const ORDER_STATE_LABEL: Record<OrderState, [string, string]> = {
  AWAITING_APPROVAL: ['待审批', 'Awaiting approval'],
  AWAITING_PAYMENT: ['待付款', 'Awaiting payment'],
  PAID: ['已付款，待发货', 'Paid, to be shipped'],
  SHIPPED: ['已发货', 'Shipped'],
  DELIVERED: ['已签收', 'Delivered'],
  COMPLETED: ['已完成', 'Completed'],
  CANCELLED: ['已取消', 'Cancelled'],
  EXPIRED: ['已超时关闭', 'Expired (not paid in time)'],
  PARTLY_REFUNDED: ['部分退款', 'Partly refunded'],
  REFUNDED: ['已退款', 'Refunded'],
};

export const FULFILMENT_STATE_LABEL: Record<FulfilmentState, [string, string]> = {
  AWAITING_PAYMENT: ['待付款', 'Awaiting payment'],
  TO_SHIP: ['待发货', 'To ship'],
  SHIPPED: ['已发货', 'Shipped'],
  DELIVERED: ['已签收', 'Delivered'],
  CANCELLED: ['已取消', 'Cancelled'],
};

const ACTION_LABEL: Record<OrderAction, [string, string]> = {
  approve: ['审批通过', 'approve'], reject: ['驳回', 'reject'], pay: ['付款', 'pay'], cancel: ['取消', 'cancel'], expire: ['超时关闭', 'expire'], ship: ['发货', 'ship'],
  deliver: ['确认收货', 'mark delivered'], complete: ['完成', 'complete'], refundPart: ['部分退款', 'refund in part'], refundAll: ['全额退款', 'refund in full'],
};

export type Transition<S> = { ok: true; to: S } | { ok: false; message: string };

export function orderTransition(from: OrderState, action: OrderAction): Transition<OrderState> {
  const to = ORDER_TRANSITIONS[from]?.[action];
  if (to) return { ok: true, to };
  const [zh, en] = ORDER_STATE_LABEL[from] ?? [from, from];
  const [azh, aen] = ACTION_LABEL[action];
  return { ok: false, message: `订单${zh}，不能${azh} / The order is ${en.toLowerCase()}: it cannot ${aen}` };
}

export function fulfilmentTransition(from: FulfilmentState, action: 'pay' | 'ship' | 'deliver' | 'cancel'): Transition<FulfilmentState> {
  const to = FULFILMENT_TRANSITIONS[from]?.[action];
  if (to) return { ok: true, to };
  const [zh, en] = FULFILMENT_STATE_LABEL[from] ?? [from, from];
  const [azh, aen] = ACTION_LABEL[action];
  return { ok: false, message: `该包裹${zh}，不能${azh} / The parcel is ${en.toLowerCase()}: it cannot ${aen}` };
}

/** The order states from which `action` is allowed (for conditional UPDATEs: `where state = any(...)`). */
export function statesAllowing(action: OrderAction): OrderState[] {
  return ORDER_STATES.filter((s) => ORDER_TRANSITIONS[s][action] !== undefined);
}

export const canCancel = (s: OrderState) => orderTransition(s, 'cancel').ok;

type ParcelAddress = { recipientNo: number; recipientName: string | null; recipientMobile: string | null; recipientAddress: string | null };
type OrderAddress = { recipient: string; mobile: string; street: string; region?: string };

/** Where a parcel goes: its gift recipient (a row of the uploaded list) or else the order's own address. */
export function shipTo(f: ParcelAddress, order: OrderAddress) {
  return f.recipientNo > 0
    ? { listRow: f.recipientNo, name: f.recipientName ?? '', mobile: f.recipientMobile ?? '', address: f.recipientAddress ?? '' }
    : { listRow: null, name: order.recipient, mobile: order.mobile, address: `${order.region ? `${order.region} ` : ''}${order.street}` };
}
