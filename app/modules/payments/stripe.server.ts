// Stripe adapter: Checkout Sessions in CNY (card, Alipay, WeChat Pay), refunds, webhook verification and
// the mapping of Stripe events onto a small domain union the order flow understands.
//
// Everything that talks to Stripe goes through `stripeAdapter(settings)`; the top-level functions use
// the settings from the environment (STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET, STRIPE_API_BASE).
// Outgoing POSTs always carry an idempotency key derived from our own ids, so a retry (ours or the
// library's network retries) can never create a second session or a second refund.
import Stripe from 'stripe';
import { env, type Env } from '~/modules/env/env.server';
import type { PaymentProvider, RefundResult, StartPaymentResult } from './provider';

export type StripeSettings = {
  secretKey: string;
  webhookSecret: string;
  /** e.g. http://127.0.0.1:12111 for a local test server; Stripe's own API when absent */
  apiBase?: string;
};

/** The payment methods every session offers. WeChat Pay on the web shows a QR code. */
export const STRIPE_PAYMENT_METHODS = ['card', 'alipay', 'wechat_pay'] as const;
export const STRIPE_CURRENCY = 'cny';
/** Stripe's limits on a Checkout Session's lifetime. */
export const SESSION_MIN_LIFETIME_MS = 30 * 60_000;
export const SESSION_MAX_LIFETIME_MS = 24 * 60 * 60_000;
/** Stripe's largest amount for a charge in CNY (8 digits of 分). */
export const MAX_AMOUNT_FEN = 99_999_999;
/** Signed webhooks older than this (seconds) are refused: replay protection. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;
const MAX_WEBHOOK_BYTES = 1024 * 1024;

/** Bad input from our own code (a bug or a tampered form): never sent to Stripe. */
export class PaymentInputError extends Error {
  override name = 'PaymentInputError';
}

/** Stripe is not configured (STRIPE_SECRET_KEY / STRIPE_WEBHOOK_SECRET unset). */
export class StripeNotConfiguredError extends Error {
  override name = 'StripeNotConfiguredError';
  constructor() {
    super('Stripe 未配置 / Stripe is not configured (STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET)');
  }
}

/** A call to Stripe failed. `retryable` says whether the same call may succeed later. */
export class PaymentProviderError extends Error {
  override name = 'PaymentProviderError';
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status: number | null,
    readonly code: string | null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export type WebhookFailure = 'not_configured' | 'missing_signature' | 'too_large' | 'bad_signature';

/** A webhook that must be answered with 400 and otherwise ignored. */
export class WebhookVerificationError extends Error {
  override name = 'WebhookVerificationError';
  readonly status = 400;
  constructor(
    readonly reason: WebhookFailure,
    message: string,
  ) {
    super(message);
  }
}

/** Stripe settings from the environment, or null when Stripe is not configured. */
export function stripeSettings(e: Pick<Env, 'STRIPE_SECRET_KEY' | 'STRIPE_WEBHOOK_SECRET' | 'STRIPE_API_BASE'> = env()): StripeSettings | null {
  if (!e.STRIPE_SECRET_KEY || !e.STRIPE_WEBHOOK_SECRET) return null;
  return { secretKey: e.STRIPE_SECRET_KEY, webhookSecret: e.STRIPE_WEBHOOK_SECRET, apiBase: e.STRIPE_API_BASE };
}

export function isStripeConfigured(): boolean {
  return stripeSettings() !== null;
}

function requireSettings(): StripeSettings {
  const s = stripeSettings();
  if (!s) throw new StripeNotConfiguredError();
  return s;
}

const clients = new Map<string, Stripe>();

/** The Stripe client for these settings (one per key and API base, reused). */
export function stripeClient(settings: StripeSettings = requireSettings()): Stripe {
  const cacheKey = `${settings.secretKey}\n${settings.apiBase ?? ''}`;
  let client = clients.get(cacheKey);
  if (!client) {
    const config: ConstructorParameters<typeof Stripe>[1] = { maxNetworkRetries: 2, timeout: 20_000, telemetry: false };
    if (settings.apiBase) {
      const u = new URL(settings.apiBase);
      config.protocol = u.protocol === 'http:' ? 'http' : 'https';
      config.host = u.hostname;
      config.port = u.port || (u.protocol === 'https:' ? 443 : 80);
    }
    client = new Stripe(settings.secretKey, config);
    clients.set(cacheKey, client);
  }
  return client;
}

// ---------------------------------------------------------------------------------------------------
// Checkout Sessions

export type CheckoutLine = { name: string; unitAmountFen: number; quantity: number };

export type CreateCheckoutSessionInput = {
  orderId: number;
  /** the order's human reference, shown on Stripe's page and stored in metadata */
  reference: string;
  lines: CheckoutLine[];
  customerEmail?: string | null;
  /** absolute URL; may contain Stripe's `{CHECKOUT_SESSION_ID}` placeholder */
  successUrl: string;
  cancelUrl: string;
  /** end of the order's payment window (default: 24 hours, Stripe's maximum) */
  expiresAt?: Date;
  locale?: 'zh' | 'en' | 'auto';
};

export type CheckoutSessionResult = {
  sessionId: string;
  url: string;
  expiresAt: Date;
  amountFen: number;
};

export type CheckoutSessionState = {
  sessionId: string;
  orderId: number | null;
  status: 'open' | 'complete' | 'expired';
  paymentStatus: 'paid' | 'unpaid' | 'no_payment_required';
  paymentIntentId: string | null;
  amountFen: number;
  expiresAt: Date;
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function checkUrl(field: string, value: string) {
  let u: URL;
  try {
    u = new URL(value.replace('{CHECKOUT_SESSION_ID}', 'cs_placeholder'));
  } catch {
    throw new PaymentInputError(`${field} must be an absolute URL`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new PaymentInputError(`${field} must be an http(s) URL`);
  if (value.length > 5000) throw new PaymentInputError(`${field} is too long`);
}

function checkOrderId(orderId: unknown): asserts orderId is number {
  if (typeof orderId !== 'number' || !Number.isSafeInteger(orderId) || orderId < 1) throw new PaymentInputError('orderId must be a positive whole number');
}

/** Validate the lines and return the total in 分. */
export function checkLines(lines: CheckoutLine[]): number {
  if (!Array.isArray(lines) || lines.length === 0) throw new PaymentInputError('a checkout needs at least one line');
  if (lines.length > 100) throw new PaymentInputError('a checkout has at most 100 lines');
  let total = 0;
  lines.forEach((l, i) => {
    if (typeof l.name !== 'string' || l.name.trim() === '' || l.name.length > 250) throw new PaymentInputError(`line ${i + 1}: name must be 1–250 characters`);
    if (!Number.isSafeInteger(l.unitAmountFen) || l.unitAmountFen < 1 || l.unitAmountFen > MAX_AMOUNT_FEN)
      throw new PaymentInputError(`line ${i + 1}: unitAmountFen must be a whole number of 分 from 1 to ${MAX_AMOUNT_FEN}`);
    if (!Number.isSafeInteger(l.quantity) || l.quantity < 1 || l.quantity > 999_999) throw new PaymentInputError(`line ${i + 1}: quantity must be a whole number from 1 to 999999`);
    total += l.unitAmountFen * l.quantity;
  });
  if (total > MAX_AMOUNT_FEN) throw new PaymentInputError(`the total ${total} 分 exceeds Stripe's maximum of ${MAX_AMOUNT_FEN} 分`);
  return total;
}

/**
 * When the session expires: the order's payment deadline, kept within Stripe's 30 minutes – 24 hours.
 * A window with less than 30 minutes left still gets a 30-minute session; the order flow expires the
 * session (`expireCheckoutSession`) when it expires the order, so it cannot be paid afterwards.
 */
export function sessionExpiry(deadline: Date | undefined, now = Date.now()): number {
  if (deadline !== undefined && (!(deadline instanceof Date) || Number.isNaN(deadline.getTime()))) throw new PaymentInputError('expiresAt must be a valid date');
  if (deadline && deadline.getTime() <= now) throw new PaymentInputError('the payment window of this order has closed');
  const min = now + SESSION_MIN_LIFETIME_MS + 60_000; // a minute of slack for the request's own latency
  const max = now + SESSION_MAX_LIFETIME_MS - 60_000;
  const wanted = deadline ? deadline.getTime() : max;
  return Math.floor(Math.min(Math.max(wanted, min), max) / 1000);
}

function idOf(v: string | { id: string } | null | undefined): string | null {
  if (!v) return null;
  return typeof v === 'string' ? v : v.id;
}

/** Our order id on a Stripe object, or null when the object is not ours. */
export function orderIdFrom(clientReferenceId: string | null | undefined, metadata: Record<string, string> | null | undefined): number | null {
  const raw = clientReferenceId ?? metadata?.order_id ?? null;
  if (raw === null || !/^[1-9]\d{0,14}$/.test(raw)) return null;
  const n = Number(raw);
  return Number.isSafeInteger(n) ? n : null;
}

function sessionState(s: Stripe.Checkout.Session): CheckoutSessionState {
  return {
    sessionId: s.id,
    orderId: orderIdFrom(s.client_reference_id, s.metadata),
    status: (s.status ?? 'open') as CheckoutSessionState['status'],
    paymentStatus: s.payment_status as CheckoutSessionState['paymentStatus'],
    paymentIntentId: idOf(s.payment_intent),
    amountFen: s.amount_total ?? 0,
    expiresAt: new Date(s.expires_at * 1000),
  };
}

function wrapStripeError(error: unknown, what: string): never {
  if (error instanceof Stripe.errors.StripeError) {
    const retryable =
      error instanceof Stripe.errors.StripeConnectionError ||
      error instanceof Stripe.errors.StripeAPIError ||
      error instanceof Stripe.errors.StripeRateLimitError ||
      (error.statusCode ?? 0) >= 500;
    throw new PaymentProviderError(`Stripe ${what} failed: ${error.message}`, retryable, error.statusCode ?? null, error.code ?? null, { cause: error });
  }
  throw error;
}

export type RefundRequest = {
  paymentIntentId: string;
  amountFen: number;
  /** stable per refund request (e.g. `refund-<our refund id>`): the same key never refunds twice */
  idempotencyKey: string;
  reason?: 'requested_by_customer' | 'duplicate' | 'fraudulent';
  metadata?: Record<string, string>;
};

export type RefundOutcome = { refundId: string; status: 'succeeded' | 'pending' | 'failed' | 'canceled' | 'requires_action'; amountFen: number };

/** Every Stripe call, bound to one set of settings. */
export function stripeAdapter(settings: StripeSettings) {
  const client = () => stripeClient(settings);

  async function createCheckoutSession(input: CreateCheckoutSessionInput, now = Date.now()): Promise<CheckoutSessionResult> {
    checkOrderId(input.orderId);
    if (typeof input.reference !== 'string' || input.reference.trim() === '' || input.reference.length > 100) throw new PaymentInputError('reference must be 1–100 characters');
    const totalFen = checkLines(input.lines);
    checkUrl('successUrl', input.successUrl);
    checkUrl('cancelUrl', input.cancelUrl);
    if (input.customerEmail && (!EMAIL.test(input.customerEmail) || input.customerEmail.length > 512)) throw new PaymentInputError('customerEmail is not an email address');
    const expiresAt = sessionExpiry(input.expiresAt, now);
    const metadata = { order_id: String(input.orderId), order_reference: input.reference };
    const params: Stripe.Checkout.SessionCreateParams = {
      mode: 'payment',
      // The pinned API version (2026-09-30.endive) removed `payment_method_types` from Checkout
      // Sessions; `allowed_payment_method_types` keeps the offer to exactly these methods (filtered
      // by Stripe to those enabled on the account and compatible with CNY and the amount).
      allowed_payment_method_types: [...STRIPE_PAYMENT_METHODS],
      payment_method_options: { wechat_pay: { client: 'web' } },
      line_items: input.lines.map((l) => ({
        quantity: l.quantity,
        price_data: { currency: STRIPE_CURRENCY, unit_amount: l.unitAmountFen, product_data: { name: l.name.trim() } },
      })),
      client_reference_id: String(input.orderId),
      metadata,
      payment_intent_data: { metadata, description: `山海集订单 ${input.reference}` },
      success_url: input.successUrl,
      cancel_url: input.cancelUrl,
      expires_at: expiresAt,
      locale: input.locale ?? 'zh',
      ...(input.customerEmail ? { customer_email: input.customerEmail } : {}),
    };
    let session: Stripe.Checkout.Session;
    try {
      // The key names the order and the session's expiry: a retry for the same order and window gets
      // the same session back instead of a second one.
      session = await client().checkout.sessions.create(params, { idempotencyKey: `shanhai-order-${input.orderId}-checkout-${expiresAt}` });
    } catch (error) {
      wrapStripeError(error, 'checkout session creation');
    }
    if (!session.url) throw new PaymentProviderError('Stripe returned a Checkout Session without a URL', false, null, null);
    if (session.amount_total !== null && session.amount_total !== totalFen)
      throw new PaymentProviderError(`Stripe computed ${session.amount_total} 分 for an order of ${totalFen} 分`, false, null, null);
    return { sessionId: session.id, url: session.url, expiresAt: new Date(session.expires_at * 1000), amountFen: totalFen };
  }

  /** The session as Stripe sees it now (for the success page, which must not trust its query string). */
  async function retrieveCheckoutSession(sessionId: string): Promise<CheckoutSessionState> {
    if (typeof sessionId !== 'string' || !/^cs_[A-Za-z0-9_]{1,250}$/.test(sessionId)) throw new PaymentInputError('not a Checkout Session id');
    try {
      return sessionState(await client().checkout.sessions.retrieve(sessionId));
    } catch (error) {
      wrapStripeError(error, 'checkout session lookup');
    }
  }

  /**
   * Close an open session (the order was cancelled or its payment window ran out) so it cannot be
   * paid any more. A session that is no longer open is returned as it is.
   */
  async function expireCheckoutSession(sessionId: string): Promise<CheckoutSessionState> {
    if (typeof sessionId !== 'string' || !/^cs_[A-Za-z0-9_]{1,250}$/.test(sessionId)) throw new PaymentInputError('not a Checkout Session id');
    try {
      return sessionState(await client().checkout.sessions.expire(sessionId, undefined, { idempotencyKey: `shanhai-expire-${sessionId}` }));
    } catch (error) {
      if (error instanceof Stripe.errors.StripeInvalidRequestError && error.statusCode === 400) return retrieveCheckoutSession(sessionId);
      wrapStripeError(error, 'checkout session expiry');
    }
  }

  async function refund(input: RefundRequest): Promise<RefundOutcome> {
    if (typeof input.paymentIntentId !== 'string' || !/^pi_[A-Za-z0-9_]{1,250}$/.test(input.paymentIntentId)) throw new PaymentInputError('not a PaymentIntent id');
    if (!Number.isSafeInteger(input.amountFen) || input.amountFen < 1 || input.amountFen > MAX_AMOUNT_FEN) throw new PaymentInputError('amountFen must be a whole number of 分 ≥ 1');
    if (typeof input.idempotencyKey !== 'string' || input.idempotencyKey.trim() === '' || input.idempotencyKey.length > 255) throw new PaymentInputError('idempotencyKey must be 1–255 characters');
    let r: Stripe.Refund;
    try {
      r = await client().refunds.create(
        { payment_intent: input.paymentIntentId, amount: input.amountFen, ...(input.reason ? { reason: input.reason } : {}), ...(input.metadata ? { metadata: input.metadata } : {}) },
        { idempotencyKey: input.idempotencyKey },
      );
    } catch (error) {
      wrapStripeError(error, 'refund');
    }
    return { refundId: r.id, status: (r.status ?? 'pending') as RefundOutcome['status'], amountFen: r.amount };
  }

  /**
   * Check a webhook's `Stripe-Signature` against the raw body (exactly the bytes received; never a
   * re-serialised JSON) and return the event. Throws WebhookVerificationError (→ 400) otherwise.
   */
  function verifyWebhook(rawBody: string | Buffer, signatureHeader: string | null | undefined, nowSeconds?: number): Stripe.Event {
    if (!signatureHeader) throw new WebhookVerificationError('missing_signature', 'missing Stripe-Signature header');
    if (Buffer.byteLength(rawBody) > MAX_WEBHOOK_BYTES) throw new WebhookVerificationError('too_large', 'webhook body is too large');
    try {
      return Stripe.webhooks.constructEvent(rawBody, signatureHeader, settings.webhookSecret, WEBHOOK_TOLERANCE_SECONDS, undefined, nowSeconds);
    } catch (error) {
      throw new WebhookVerificationError('bad_signature', `webhook signature verification failed: ${(error as Error).message}`);
    }
  }

  /** The PaymentProvider port backed by Stripe Checkout. */
  const provider: PaymentProvider = {
    id: 'stripe',
    async startPayment(input): Promise<StartPaymentResult> {
      const s = await createCheckoutSession(input);
      return { kind: 'redirect', url: s.url, providerRef: s.sessionId, expiresAt: s.expiresAt };
    },
    async refund(input): Promise<RefundResult> {
      if (!input.paymentRef) throw new PaymentInputError('a Stripe refund needs the PaymentIntent id of the payment');
      const r = await refund({ paymentIntentId: input.paymentRef, amountFen: input.amountFen, idempotencyKey: input.idempotencyKey, metadata: { order_id: String(input.orderId) } });
      if (r.status === 'failed' || r.status === 'canceled') throw new PaymentProviderError(`Stripe refund ${r.refundId} ${r.status}`, false, null, r.status);
      return { kind: 'refunded', providerRef: r.refundId, amountFen: r.amountFen, status: r.status === 'succeeded' ? 'succeeded' : 'pending' };
    },
  };

  return { client, createCheckoutSession, retrieveCheckoutSession, expireCheckoutSession, refund, verifyWebhook, provider };
}

export type StripeAdapter = ReturnType<typeof stripeAdapter>;

/** The adapter for the environment's settings (throws StripeNotConfiguredError when unset). */
export function defaultStripe(): StripeAdapter {
  return stripeAdapter(requireSettings());
}

export const createCheckoutSession = (input: CreateCheckoutSessionInput) => defaultStripe().createCheckoutSession(input);
export const retrieveCheckoutSession = (sessionId: string) => defaultStripe().retrieveCheckoutSession(sessionId);
export const expireCheckoutSession = (sessionId: string) => defaultStripe().expireCheckoutSession(sessionId);
export const refund = (input: RefundRequest) => defaultStripe().refund(input);

/** verifyWebhook with the environment's STRIPE_WEBHOOK_SECRET; 'not_configured' when Stripe is off. */
export function verifyWebhook(rawBody: string | Buffer, signatureHeader: string | null | undefined): Stripe.Event {
  const s = stripeSettings();
  if (!s) throw new WebhookVerificationError('not_configured', 'Stripe is not configured');
  return stripeAdapter(s).verifyWebhook(rawBody, signatureHeader);
}

/** Read a webhook request's raw body and verify it: the route's first step. */
export async function readStripeWebhook(request: Request, adapter?: StripeAdapter): Promise<Stripe.Event> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > MAX_WEBHOOK_BYTES) throw new WebhookVerificationError('too_large', 'webhook body is too large');
  const raw = Buffer.from(await request.arrayBuffer());
  const header = request.headers.get('stripe-signature');
  return adapter ? adapter.verifyWebhook(raw, header) : verifyWebhook(raw, header);
}

// ---------------------------------------------------------------------------------------------------
// Events → domain

type Base = { eventId: string; created: Date; amountFen: number };
export type PaymentEvent =
  | (Base & { kind: 'paid' | 'pending' | 'failed' | 'expired'; orderId: number; sessionId: string; paymentIntentId: string | null })
  | (Base & {
      kind: 'refunded';
      /** from the charge's metadata (copied from the PaymentIntent); null → look the order up by paymentIntentId */
      orderId: number | null;
      sessionId: null;
      paymentIntentId: string;
      /** everything refunded on this charge so far (cumulative), in 分 */
      refundedFen: number;
    });

export const HANDLED_EVENT_TYPES = [
  'checkout.session.completed',
  'checkout.session.async_payment_succeeded',
  'checkout.session.async_payment_failed',
  'checkout.session.expired',
  'charge.refunded',
] as const;

/**
 * Map a verified Stripe event onto what it means for an order. Returns null for events we do not act
 * on: other types, and sessions or charges that carry no order id of ours.
 */
export function toPaymentEvent(event: Stripe.Event): PaymentEvent | null {
  const base = { eventId: event.id, created: new Date(event.created * 1000) };
  const fromSession = (s: Stripe.Checkout.Session, kind: 'paid' | 'pending' | 'failed' | 'expired'): PaymentEvent | null => {
    const orderId = orderIdFrom(s.client_reference_id, s.metadata);
    if (orderId === null) return null;
    if (s.currency && s.currency !== STRIPE_CURRENCY) return null;
    return { ...base, kind, orderId, sessionId: s.id, paymentIntentId: idOf(s.payment_intent), amountFen: s.amount_total ?? 0 };
  };
  switch (event.type) {
    case 'checkout.session.completed':
      // Card payments are paid here; Alipay / WeChat Pay may still be processing ('unpaid') and
      // finish with async_payment_succeeded or async_payment_failed.
      return fromSession(event.data.object, event.data.object.payment_status === 'paid' ? 'paid' : 'pending');
    case 'checkout.session.async_payment_succeeded':
      return fromSession(event.data.object, 'paid');
    case 'checkout.session.async_payment_failed':
      return fromSession(event.data.object, 'failed');
    case 'checkout.session.expired':
      return fromSession(event.data.object, 'expired');
    case 'charge.refunded': {
      const c = event.data.object;
      const paymentIntentId = idOf(c.payment_intent);
      if (!paymentIntentId || (c.currency && c.currency !== STRIPE_CURRENCY)) return null;
      return { ...base, kind: 'refunded', orderId: orderIdFrom(null, c.metadata), sessionId: null, paymentIntentId, amountFen: c.amount, refundedFen: c.amount_refunded };
    }
    default:
      return null;
  }
}
