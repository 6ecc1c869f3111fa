// A local stand-in for the part of Stripe's API the payments adapter calls, for tests (Stripe's servers
// cannot be reached from CI). The real `stripe` library talks to it over HTTP
// (`new Stripe(key, { host, port, protocol: 'http' })`), so the library's own form encoding, headers,
// retries and idempotency keys are exercised.
//
// Implemented: POST /v1/checkout/sessions, GET /v1/checkout/sessions/:id,
// POST /v1/checkout/sessions/:id/expire, POST /v1/refunds. It checks the API key, validates
// parameters the way Stripe does (unknown parameters, integers, currencies, URLs, limits → 400 with a
// Stripe-shaped `{ error: { type, code, param, message } }`), honours `Idempotency-Key` (same key and
// parameters → the stored response again, with `Idempotent-Replayed: true`; same key, other parameters
// → 400 idempotency_error; parameter validation errors are not stored, as at Stripe) and records every
// request. Scenario helpers move sessions through payment and build the events Stripe would send;
// `deliverEvent` POSTs them signed with the library's `generateTestHeaderString`.
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type Params = { [k: string]: ParamValue };
export type ParamValue = string | ParamValue[] | Params;

export type RecordedRequest = {
  method: string;
  path: string;
  headers: Record<string, string>;
  idempotencyKey: string | null;
  rawBody: string;
  params: Params;
  status: number;
  replayed: boolean;
};

type AnyObject = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

class StripeHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: { type: string; code?: string; param?: string; message: string },
    /** false: the request failed validation before "executing", so idempotency stores nothing */
    readonly stored = false,
  ) {
    super(body.message);
  }
}

const invalid = (message: string, param?: string, code = param ? 'parameter_invalid' : undefined) =>
  new StripeHttpError(400, { type: 'invalid_request_error', message, ...(code ? { code } : {}), ...(param ? { param } : {}) });

/** Parse Stripe's form encoding (`a[b][0][c]=v`) into nested objects and arrays. */
export function parseStripeForm(body: string): Params {
  const root: Params = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const parts = key.match(/^[^[\]]+|\[[^[\]]*\]/g);
    if (!parts || parts.join('') !== key) throw invalid(`Invalid parameter name: ${key}`);
    const names = parts.map((p) => (p.startsWith('[') ? p.slice(1, -1) : p));
    let node: Params = root;
    names.forEach((name, i) => {
      if (i === names.length - 1) {
        node[name] = value;
        return;
      }
      const next = node[name];
      if (next === undefined) node[name] = {};
      else if (typeof next === 'string') throw invalid(`Invalid hash`, names.slice(0, i + 1).join('.'));
      node = node[name] as Params;
    });
  }
  const arrays = (v: ParamValue): ParamValue => {
    if (typeof v === 'string' || Array.isArray(v)) return v;
    const keys = Object.keys(v);
    for (const k of keys) v[k] = arrays(v[k]!);
    if (keys.length > 0 && keys.every((k, i) => k === String(i))) return keys.map((k) => v[k]!);
    return v;
  };
  for (const k of Object.keys(root)) root[k] = arrays(root[k]!);
  return root;
}

function canonical(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  return `{${Object.keys(v as object)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical((v as AnyObject)[k])}`)
    .join(',')}}`;
}

const PAYMENT_METHOD_TYPES = ['acss_debit', 'affirm', 'afterpay_clearpay', 'alipay', 'amazon_pay', 'au_becs_debit', 'bacs_debit', 'bancontact', 'blik', 'boleto', 'card', 'cashapp', 'customer_balance', 'eps', 'fpx', 'giropay', 'grabpay', 'ideal', 'klarna', 'konbini', 'link', 'oxxo', 'p24', 'paynow', 'paypal', 'pix', 'promptpay', 'sepa_debit', 'sofort', 'us_bank_account', 'wechat_pay', 'zip'];
/** Which currencies each method takes (only the ones this fake needs to tell apart). */
const METHOD_CURRENCIES: Record<string, string[] | 'any'> = {
  card: 'any',
  alipay: ['cny', 'aud', 'cad', 'eur', 'gbp', 'hkd', 'jpy', 'myr', 'nzd', 'sgd', 'usd'],
  wechat_pay: ['aud', 'cad', 'cny', 'eur', 'gbp', 'hkd', 'jpy', 'sgd', 'usd', 'dkk', 'nok', 'sek', 'chf'],
};
const CURRENCIES = ['cny', 'usd', 'eur', 'gbp', 'hkd', 'jpy', 'sgd', 'aud', 'cad', 'chf', 'dkk', 'nok', 'sek', 'nzd', 'myr'];
const LOCALES = ['auto', 'zh', 'zh-HK', 'zh-TW', 'en', 'en-GB', 'ja', 'ko', 'fr', 'de', 'es'];
const MAX_AMOUNT = 99_999_999;

function integer(v: ParamValue | undefined, param: string, { min, max }: { min: number; max: number }, required = true): number | undefined {
  if (v === undefined) {
    if (required) throw invalid(`Missing required param: ${param}.`, param, 'parameter_missing');
    return undefined;
  }
  if (typeof v !== 'string' || !/^-?\d+$/.test(v)) throw invalid(`Invalid integer: ${typeof v === 'string' ? v : 'object'}`, param, 'parameter_invalid_integer');
  const n = Number(v);
  if (n < min) throw invalid(`This value must be greater than or equal to ${min}.`, param);
  if (n > max) throw invalid(`This value must be less than or equal to ${max}.`, param);
  return n;
}

function str(v: ParamValue | undefined, param: string, { required = false, max = 5000 } = {}): string | undefined {
  if (v === undefined || v === '') {
    if (required) throw invalid(`Missing required param: ${param}.`, param, 'parameter_missing');
    return undefined;
  }
  if (typeof v !== 'string') throw invalid(`Invalid string: ${param} must be a string`, param);
  if (v.length > max) throw invalid(`Invalid string: ${param} must be at most ${max} characters`, param);
  return v;
}

function hash(v: ParamValue | undefined, param: string, known: string[]): Params {
  if (v === undefined) return {};
  if (typeof v === 'string' || Array.isArray(v)) throw invalid(`Invalid hash`, param);
  for (const k of Object.keys(v)) {
    const name = param ? `${param}[${k}]` : k;
    if (!known.includes(k)) throw invalid(`Received unknown parameter: ${name}`, name, 'parameter_unknown');
  }
  return v;
}

function list(v: ParamValue | undefined, param: string): ParamValue[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw invalid(`Invalid array`, param);
  return v;
}

function url(v: ParamValue | undefined, param: string, required: boolean): string | undefined {
  const s = str(v, param, { required, max: 5000 });
  if (s === undefined) return undefined;
  try {
    const u = new URL(s.replace('{CHECKOUT_SESSION_ID}', 'x'));
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error();
  } catch {
    throw invalid(`Not a valid URL`, param, 'url_invalid');
  }
  return s;
}

function metadata(v: ParamValue | undefined, param: string): Record<string, string> {
  if (v === undefined || v === '') return {};
  if (typeof v === 'string' || Array.isArray(v)) throw invalid('Invalid hash', param);
  const keys = Object.keys(v);
  if (keys.length > 50) throw invalid('Metadata can have up to 50 keys', param);
  const out: Record<string, string> = {};
  for (const k of keys) {
    if (k.length > 40) throw invalid(`Metadata keys can have up to 40 characters`, `${param}[${k}]`);
    const val = v[k];
    if (typeof val !== 'string') throw invalid('Metadata values must be strings', `${param}[${k}]`);
    if (val.length > 500) throw invalid('Metadata values can have up to 500 characters', `${param}[${k}]`);
    out[k] = val;
  }
  return out;
}

const rid = (prefix: string) => `${prefix}_test_${crypto.randomBytes(12).toString('base64url').replace(/[-_]/g, 'x')}`;
const nowSec = () => Math.floor(Date.now() / 1000);

export type FakeStripeOptions = {
  secretKey?: string;
  webhookSecret?: string;
  /** where the hosted page POSTs the events it causes (like a Dashboard webhook endpoint) */
  webhookUrl?: string;
  /** fixed port (default: any free port) */
  port?: number;
};

export class FakeStripe {
  readonly secretKey: string;
  readonly webhookSecret: string;
  readonly requests: RecordedRequest[] = [];
  readonly sessions = new Map<string, AnyObject>();
  readonly paymentIntents = new Map<string, AnyObject>();
  readonly charges = new Map<string, AnyObject>();
  readonly refunds = new Map<string, AnyObject>();
  /** every event the fake has produced, oldest first */
  readonly events: Stripe.Event[] = [];
  private readonly idempotency = new Map<string, { route: string; params: string; status: number; body: string }>();
  private failures: Array<{ status: number } | 'drop'> = [];
  private server!: http.Server;
  url = '';

  readonly webhookUrl: string | null;
  private readonly port: number;

  constructor(options: FakeStripeOptions = {}) {
    this.webhookUrl = options.webhookUrl ?? null;
    this.port = options.port ?? 0;
    this.secretKey = options.secretKey ?? `sk_test_fake_${crypto.randomBytes(8).toString('hex')}`;
    this.webhookSecret = options.webhookSecret ?? `whsec_fake_${crypto.randomBytes(16).toString('hex')}`;
  }

  /** Settings for `stripeAdapter(...)` pointing at this server. */
  settings() {
    return { secretKey: this.secretKey, webhookSecret: this.webhookSecret, apiBase: this.url };
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server.listen(this.port, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close() {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The next request gets this HTTP error before doing anything (e.g. 500: Stripe had an incident). */
  failNext(status: number) {
    this.failures.push({ status });
  }

  /** The next request is carried out, then its connection is cut before the response (a lost reply). */
  dropNextResponse() {
    this.failures.push('drop');
  }

  requestsTo(method: string, pathPrefix: string) {
    return this.requests.filter((r) => r.method === method && r.path.startsWith(pathPrefix));
  }

  // ------------------------------------------------------------------------------------------------
  private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const u = new URL(req.url ?? '/', 'http://fake');
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]));
    const idempotencyKey = headers['idempotency-key'] || null;
    const method = req.method ?? 'GET';
    const record: RecordedRequest = { method, path: u.pathname, headers, idempotencyKey, rawBody, params: {}, status: 0, replayed: false };
    this.requests.push(record);
    const send = (status: number, body: string, extra: Record<string, string> = {}) => {
      record.status = status;
      res.writeHead(status, { 'Content-Type': 'application/json', 'Request-Id': rid('req'), ...extra });
      res.end(body);
    };
    const page = u.pathname.match(/^\/c\/pay\/([A-Za-z0-9_]+)$/);
    if (page) {
      await this.hostedPage(page[1]!, method, rawBody, res);
      record.status = res.statusCode;
      return;
    }
    const failure = this.failures.shift();
    if (failure && failure !== 'drop') {
      send(failure.status, JSON.stringify({ error: { type: 'api_error', message: 'An unknown error occurred (injected by the fake).' } }));
      return;
    }
    try {
      const auth = headers.authorization ?? '';
      const basic = auth.startsWith('Basic ') ? Buffer.from(auth.slice(6), 'base64').toString('utf8').replace(/:$/, '') : null;
      if (auth !== `Bearer ${this.secretKey}` && basic !== this.secretKey)
        throw new StripeHttpError(401, { type: 'invalid_request_error', message: `Invalid API Key provided: ${(headers.authorization ?? '').replace(/^Bearer /, '').slice(0, 8)}***` });
      record.params = method === 'GET' ? parseStripeForm(u.search.slice(1)) : parseStripeForm(rawBody);
      const route = `${method} ${u.pathname}`;
      if (method === 'POST' && idempotencyKey) {
        const prior = this.idempotency.get(idempotencyKey);
        if (prior) {
          if (prior.route !== route || prior.params !== canonical(record.params))
            throw new StripeHttpError(400, {
              type: 'idempotency_error',
              message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
            });
          record.replayed = true;
          send(prior.status, prior.body, { 'Idempotent-Replayed': 'true', 'Original-Request': 'req_original' });
          return;
        }
      }
      let status = 200;
      let body: string;
      try {
        body = JSON.stringify(this.route(method, u.pathname, record.params, headers));
      } catch (error) {
        if (!(error instanceof StripeHttpError) || !error.stored) throw error;
        status = error.status;
        body = JSON.stringify({ error: error.body });
      }
      if (method === 'POST' && idempotencyKey) this.idempotency.set(idempotencyKey, { route, params: canonical(record.params), status, body });
      if (failure === 'drop') {
        record.status = -1;
        req.socket.destroy();
        return;
      }
      send(status, body);
    } catch (error) {
      if (error instanceof StripeHttpError) send(error.status, JSON.stringify({ error: error.body }));
      else send(500, JSON.stringify({ error: { type: 'api_error', message: `fake-stripe bug: ${(error as Error).message}` } }));
    }
  }

  private route(method: string, path: string, p: Params, headers: Record<string, string>): unknown {
    let m: RegExpMatchArray | null;
    if (method === 'POST' && path === '/v1/checkout/sessions') return this.createSession(p, headers);
    if (method === 'GET' && (m = path.match(/^\/v1\/checkout\/sessions\/([^/]+)$/))) return this.session(m[1]!);
    if (method === 'POST' && (m = path.match(/^\/v1\/checkout\/sessions\/([^/]+)\/expire$/))) {
      hash(p, '', []);
      const s = this.session(m[1]!);
      if (s.status !== 'open')
        throw new StripeHttpError(400, { type: 'invalid_request_error', message: `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${s.status}".` }, true);
      return this.expireSession(s.id).data.object;
    }
    if (method === 'POST' && path === '/v1/refunds') return this.createRefund(p);
    throw new StripeHttpError(404, { type: 'invalid_request_error', message: `Unrecognized request URL (${method}: ${path}).` });
  }

  private session(id: string): AnyObject {
    const s = this.sessions.get(id);
    if (!s) throw new StripeHttpError(404, { type: 'invalid_request_error', code: 'resource_missing', param: 'session', message: `No such checkout.session: '${id}'` });
    return s;
  }

  private createSession(p: Params, headers: Record<string, string>): AnyObject {
    const known = ['mode', 'line_items', 'allowed_payment_method_types', 'excluded_payment_method_types', 'payment_method_types', 'payment_method_options', 'client_reference_id', 'metadata', 'payment_intent_data', 'success_url', 'cancel_url', 'expires_at', 'locale', 'customer_email', 'currency', 'expand'];
    for (const k of Object.keys(p)) if (!known.includes(k)) throw invalid(`Received unknown parameter: ${k}`, k, 'parameter_unknown');
    // The library pins 2026-10-28.endive; since 2026-09-30.endive Checkout no longer takes payment_method_types.
    if (p.payment_method_types !== undefined && (headers['stripe-version'] ?? '') >= '2026-09-30')
      throw invalid('`payment_method_types` is no longer supported on this API version. Use `allowed_payment_method_types` or dynamic payment methods.', 'payment_method_types', 'payment_method_types_no_longer_supported');
    const mode = str(p.mode, 'mode', { required: true });
    if (mode !== 'payment') throw invalid(`Invalid mode: the fake supports only 'payment' (got '${mode}')`, 'mode');
    const items = list(p.line_items, 'line_items');
    if (items.length === 0) throw invalid('Missing required param: line_items.', 'line_items', 'parameter_missing');
    if (items.length > 100) throw invalid('line_items can contain at most 100 items in payment mode.', 'line_items');
    let currency: string | null = null;
    let total = 0;
    const lines = items.map((raw, i) => {
      const param = `line_items[${i}]`;
      const item = hash(raw, param, ['price_data', 'quantity']);
      if (item.price_data === undefined) throw invalid(`You must specify either \`price\` or \`price_data\` in ${param}.`, `${param}[price_data]`, 'parameter_missing');
      const pd = hash(item.price_data, `${param}[price_data]`, ['currency', 'unit_amount', 'product_data']);
      const cur = str(pd.currency, `${param}[price_data][currency]`, { required: true })!;
      if (!CURRENCIES.includes(cur)) throw invalid(`Invalid currency: ${cur}. Stripe currently supports these currencies: ${CURRENCIES.join(', ')}`, `${param}[price_data][currency]`, 'parameter_invalid_currency' as string);
      if (currency !== null && cur !== currency) throw invalid('All line items must use the same currency.', `${param}[price_data][currency]`);
      currency = cur;
      const unit = integer(pd.unit_amount, `${param}[price_data][unit_amount]`, { min: 1, max: MAX_AMOUNT })!;
      const prod = hash(pd.product_data, `${param}[price_data][product_data]`, ['name', 'description']);
      const name = str(prod.name, `${param}[price_data][product_data][name]`, { required: true, max: 250 })!;
      const quantity = integer(item.quantity, `${param}[quantity]`, { min: 1, max: 999_999 })!;
      total += unit * quantity;
      return { name, unit, quantity };
    });
    if (total > MAX_AMOUNT) throw invalid(`The Checkout Session's total amount must be no more than ${MAX_AMOUNT}.`, 'line_items', 'amount_too_large');
    const allowed = list(p.allowed_payment_method_types, 'allowed_payment_method_types').map((t, i) => {
      if (typeof t !== 'string' || !PAYMENT_METHOD_TYPES.includes(t)) throw invalid(`Invalid allowed_payment_method_types[${i}]: must be one of ${PAYMENT_METHOD_TYPES.join(', ')}`, `allowed_payment_method_types[${i}]`);
      return t;
    });
    if (allowed.length && p.excluded_payment_method_types !== undefined)
      throw invalid('You cannot specify both `allowed_payment_method_types` and `excluded_payment_method_types`.', 'excluded_payment_method_types');
    const pmo = hash(p.payment_method_options, 'payment_method_options', ['wechat_pay', 'alipay', 'card']);
    let wechat: { client: string } | null = null;
    if (allowed.includes('wechat_pay') || pmo.wechat_pay !== undefined) {
      const w = hash(pmo.wechat_pay, 'payment_method_options[wechat_pay]', ['client', 'app_id']);
      const client = str(w.client, 'payment_method_options[wechat_pay][client]');
      if (!client) throw invalid('payment_method_options[wechat_pay][client] is required when `wechat_pay` is a payment method type.', 'payment_method_options[wechat_pay][client]', 'parameter_missing');
      if (!['web', 'ios', 'android'].includes(client)) throw invalid(`Invalid payment_method_options[wechat_pay][client]: must be one of web, ios, or android`, 'payment_method_options[wechat_pay][client]');
      if (client !== 'web' && !w.app_id) throw invalid('payment_method_options[wechat_pay][app_id] is required when client is ios or android.', 'payment_method_options[wechat_pay][app_id]', 'parameter_missing');
      wechat = { client };
    }
    const offered = (allowed.length ? allowed : ['card']).filter((t) => {
      const c = METHOD_CURRENCIES[t];
      return c === 'any' || (c !== undefined && c.includes(currency!));
    });
    const successUrl = url(p.success_url, 'success_url', true)!;
    const cancelUrl = url(p.cancel_url, 'cancel_url', false) ?? null;
    const created = nowSec();
    const expiresAt = integer(p.expires_at, 'expires_at', { min: 0, max: 2 ** 31 }, false) ?? created + 24 * 3600;
    if (expiresAt < created + 30 * 60 - 5) throw invalid('The `expires_at` timestamp must be at least 30 minutes from Checkout Session creation.', 'expires_at');
    if (expiresAt > created + 24 * 3600 + 5) throw invalid('The `expires_at` timestamp must be less than 24 hours from Checkout Session creation.', 'expires_at');
    const locale = str(p.locale, 'locale') ?? 'auto';
    if (!LOCALES.includes(locale)) throw invalid(`Invalid locale: ${locale}`, 'locale');
    const email = str(p.customer_email, 'customer_email', { max: 512 }) ?? null;
    if (email !== null && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw invalid(`Invalid email address: ${email}`, 'customer_email', 'email_invalid');
    const pid = hash(p.payment_intent_data, 'payment_intent_data', ['metadata', 'description']);
    const session: AnyObject = {
      id: rid('cs'),
      object: 'checkout.session',
      allowed_payment_method_types: allowed.length ? allowed : null,
      amount_subtotal: total,
      amount_total: total,
      cancel_url: cancelUrl,
      client_reference_id: str(p.client_reference_id, 'client_reference_id', { max: 200 }) ?? null,
      created,
      currency,
      customer: null,
      customer_details: email ? { email } : null,
      customer_email: email,
      expires_at: expiresAt,
      livemode: false,
      locale,
      metadata: metadata(p.metadata, 'metadata'),
      mode: 'payment',
      payment_intent: null,
      payment_method_options: wechat ? { wechat_pay: wechat } : {},
      payment_method_types: offered,
      payment_status: 'unpaid',
      status: 'open',
      success_url: successUrl,
      url: '',
      // not part of Stripe's object; kept to build the PaymentIntent the way Checkout does
      _lines: lines,
      _pi: { metadata: metadata(pid.metadata, 'payment_intent_data[metadata]'), description: str(pid.description, 'payment_intent_data[description]', { max: 1000 }) ?? null },
    };
    session.url = `${this.url}/c/pay/${session.id}`;
    this.sessions.set(session.id, session);
    return this.publicSession(session);
  }

  private publicSession(s: AnyObject): AnyObject {
    const { _lines, _pi, ...rest } = s;
    void _lines;
    void _pi;
    return structuredClone(rest);
  }

  private createRefund(p: Params): AnyObject {
    hash(p, '', ['payment_intent', 'charge', 'amount', 'reason', 'metadata']);
    const piId = str(p.payment_intent, 'payment_intent');
    const chId = str(p.charge, 'charge');
    if (!piId && !chId) throw invalid('One of the following params should be provided for this request: payment_intent or charge.', 'payment_intent', 'parameter_missing');
    const amount = integer(p.amount, 'amount', { min: 1, max: MAX_AMOUNT }, false);
    const reason = str(p.reason, 'reason');
    if (reason && !['duplicate', 'fraudulent', 'requested_by_customer'].includes(reason)) throw invalid(`Invalid reason: must be one of duplicate, fraudulent, or requested_by_customer`, 'reason');
    const md = metadata(p.metadata, 'metadata');
    let charge: AnyObject | undefined;
    if (piId) {
      const pi = this.paymentIntents.get(piId);
      if (!pi) throw new StripeHttpError(400, { type: 'invalid_request_error', code: 'resource_missing', param: 'payment_intent', message: `No such payment_intent: '${piId}'` }, true);
      charge = pi.latest_charge ? this.charges.get(pi.latest_charge) : undefined;
      if (!charge || pi.status !== 'succeeded')
        throw new StripeHttpError(400, { type: 'invalid_request_error', code: 'charge_not_refundable', message: `This PaymentIntent (${piId}) does not have a successful charge to refund.` }, true);
    } else {
      charge = this.charges.get(chId!);
      if (!charge) throw new StripeHttpError(400, { type: 'invalid_request_error', code: 'resource_missing', param: 'charge', message: `No such charge: '${chId}'` }, true);
    }
    const left = charge.amount - charge.amount_refunded;
    if (left === 0) throw new StripeHttpError(400, { type: 'invalid_request_error', code: 'charge_already_refunded', message: `Charge ${charge.id} has already been refunded.` }, true);
    const value = amount ?? left;
    if (value > left)
      throw new StripeHttpError(400, { type: 'invalid_request_error', code: 'amount_too_large', param: 'amount', message: `Refund amount (¥${(value / 100).toFixed(2)}) is greater than unrefunded amount on charge (¥${(left / 100).toFixed(2)})` }, true);
    const refund: AnyObject = {
      id: rid('re'),
      object: 'refund',
      amount: value,
      charge: charge.id,
      created: nowSec(),
      currency: charge.currency,
      metadata: md,
      payment_intent: charge.payment_intent,
      reason: reason ?? null,
      status: 'succeeded',
    };
    this.refunds.set(refund.id, refund);
    charge.amount_refunded += value;
    charge.refunded = charge.amount_refunded === charge.amount;
    this.emit('refund.created', refund);
    this.emit('charge.refunded', charge);
    return structuredClone(refund);
  }

  /**
   * Stripe's hosted payment page, reduced to buttons: GET shows the order and one button per method
   * (and "pay later" variants for Alipay / WeChat Pay, which stay processing); POST pays, delivers the
   * resulting event to `webhookUrl` (signed) and redirects to success_url, as Stripe does. For
   * browser tests of the whole flow.
   */
  private async hostedPage(id: string, method: string, rawBody: string, res: http.ServerResponse) {
    const s = this.sessions.get(id);
    const html = (status: number, body: string) => {
      res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>Fake Stripe Checkout</title></head><body>${body}</body></html>`);
    };
    const esc = (t: string) => t.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
    if (!s) return html(404, '<h1>Checkout Session not found</h1>');
    if (method === 'GET') {
      if (s.status !== 'open') return html(410, `<h1>This Checkout Session is ${esc(s.status)}</h1>`);
      const lines = (s._lines as Array<{ name: string; unit: number; quantity: number }>).map((l) => `<li>${esc(l.name)} × ${l.quantity} — ${(l.unit / 100).toFixed(2)}</li>`).join('');
      const buttons = (s.payment_method_types as string[])
        .flatMap((m) => [`<button name="method" value="${m}">Pay with ${m}</button>`, ...(m === 'card' ? [] : [`<button name="method" value="${m}:delayed">Pay with ${m} (processing)</button>`])])
        .join(' ');
      const cancel = s.cancel_url ? ` <a href="${esc(s.cancel_url)}">Cancel</a>` : '';
      return html(200, `<h1>Fake Stripe Checkout</h1><p data-testid="amount">${(s.amount_total / 100).toFixed(2)} ${esc(String(s.currency).toUpperCase())}</p><ul>${lines}</ul><form method="post">${buttons}</form>${cancel}`);
    }
    if (method !== 'POST') return html(405, '<h1>Method not allowed</h1>');
    if (s.status !== 'open') return html(410, `<h1>This Checkout Session is ${esc(s.status)}</h1>`);
    const choice = new URLSearchParams(rawBody).get('method') ?? 'card';
    const [m, delayed] = choice.split(':') as ['card' | 'alipay' | 'wechat_pay', string | undefined];
    if (!(s.payment_method_types as string[]).includes(m)) return html(400, '<h1>Payment method not offered</h1>');
    const event = this.completeSession(id, { method: m, delayed: delayed === 'delayed' && m !== 'card' });
    if (this.webhookUrl) await deliverEvent(this.webhookUrl, event, { secret: this.webhookSecret }).catch(() => undefined);
    res.writeHead(303, { Location: String(s.success_url).replace('{CHECKOUT_SESSION_ID}', id) });
    res.end();
  }

  /** Deliver an event to `webhookUrl` (e.g. after asyncPaymentSucceeded in a browser test). */
  async deliver(event: Stripe.Event): Promise<Response> {
    if (!this.webhookUrl) throw new Error('this fake has no webhookUrl');
    return deliverEvent(this.webhookUrl, event, { secret: this.webhookSecret });
  }

  // ------------------------------------------------------------------------------------------------
  // Scenario helpers: what happens on Stripe's side after the buyer leaves our site.

  /** A Stripe event around a copy of `object`, remembered in `events`. */
  emit(type: string, object: AnyObject): Stripe.Event {
    const event = {
      id: rid('evt'),
      object: 'event',
      api_version: Stripe.API_VERSION,
      created: nowSec(),
      data: { object: object.object === 'checkout.session' ? this.publicSession(object) : structuredClone(object) },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
    } as unknown as Stripe.Event;
    this.events.push(event);
    return event;
  }

  /**
   * The buyer finishes the hosted page. Card payments are paid at once; Alipay and WeChat Pay with
   * `delayed: true` stay `unpaid` (processing) until asyncPaymentSucceeded / asyncPaymentFailed.
   * Returns the `checkout.session.completed` event.
   */
  completeSession(id: string, { method = 'card', delayed = false }: { method?: 'card' | 'alipay' | 'wechat_pay'; delayed?: boolean } = {}): Stripe.Event {
    const s = this.session(id);
    if (s.status !== 'open') throw new Error(`session ${id} is ${s.status}, not open`);
    if (!s.payment_method_types.includes(method)) throw new Error(`session ${id} does not offer ${method}`);
    const pi: AnyObject = {
      id: rid('pi'),
      object: 'payment_intent',
      amount: s.amount_total,
      currency: s.currency,
      metadata: { ...s._pi.metadata },
      description: s._pi.description,
      payment_method_types: [method],
      status: delayed ? 'processing' : 'succeeded',
      latest_charge: null,
      created: nowSec(),
    };
    this.paymentIntents.set(pi.id, pi);
    s.payment_intent = pi.id;
    s.status = 'complete';
    s.payment_status = delayed ? 'unpaid' : 'paid';
    if (!delayed) this.charge(pi);
    return this.emit('checkout.session.completed', s);
  }

  private charge(pi: AnyObject) {
    const ch: AnyObject = {
      id: rid('ch'),
      object: 'charge',
      amount: pi.amount,
      amount_captured: pi.amount,
      amount_refunded: 0,
      captured: true,
      currency: pi.currency,
      created: nowSec(),
      livemode: false,
      // Stripe copies the PaymentIntent's metadata onto the charges it creates
      metadata: { ...pi.metadata },
      paid: true,
      payment_intent: pi.id,
      refunded: false,
      status: 'succeeded',
    };
    this.charges.set(ch.id, ch);
    pi.latest_charge = ch.id;
    pi.status = 'succeeded';
  }

  asyncPaymentSucceeded(id: string): Stripe.Event {
    const s = this.session(id);
    const pi = this.paymentIntents.get(s.payment_intent);
    if (!pi || pi.status !== 'processing') throw new Error(`session ${id} has no processing payment`);
    this.charge(pi);
    s.payment_status = 'paid';
    return this.emit('checkout.session.async_payment_succeeded', s);
  }

  asyncPaymentFailed(id: string): Stripe.Event {
    const s = this.session(id);
    const pi = this.paymentIntents.get(s.payment_intent);
    if (!pi || pi.status !== 'processing') throw new Error(`session ${id} has no processing payment`);
    pi.status = 'requires_payment_method';
    return this.emit('checkout.session.async_payment_failed', s);
  }

  /** The session's time runs out (or our server expired it). */
  expireSession(id: string): Stripe.Event {
    const s = this.session(id);
    if (s.status !== 'open') throw new Error(`session ${id} is ${s.status}, not open`);
    s.status = 'expired';
    return this.emit('checkout.session.expired', s);
  }

  /** A refund made in Stripe's Dashboard (not through our API): returns the `charge.refunded` event. */
  refundInDashboard(paymentIntentId: string, amount?: number): Stripe.Event {
    const before = this.events.length;
    this.createRefund({ payment_intent: paymentIntentId, ...(amount ? { amount: String(amount) } : {}) });
    return this.events.slice(before).find((e) => e.type === 'charge.refunded')!;
  }
}

export async function startFakeStripe(options?: FakeStripeOptions): Promise<FakeStripe> {
  return new FakeStripe(options).start();
}

/** Serialise an event the way Stripe sends it and sign it with the library's test helper. */
export function signEvent(event: Stripe.Event | Json, secret: string, timestamp = nowSec()): { body: string; signature: string } {
  const body = JSON.stringify(event, null, 2);
  return { body, signature: Stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp }) };
}

export type DeliveryOptions = {
  secret: string;
  /** seconds since the epoch for the signature (default now) */
  timestamp?: number;
  /** change the body after signing */
  tamper?: (body: string) => string;
  /** send this Stripe-Signature instead of the computed one (null: no header) */
  signature?: string | null;
};

/** POST a signed event to a webhook URL, as Stripe does. */
export async function deliverEvent(url: string, event: Stripe.Event, options: DeliveryOptions): Promise<Response> {
  const { body, signature } = signEvent(event, options.secret, options.timestamp);
  const sent = options.tamper ? options.tamper(body) : body;
  const sig = options.signature === undefined ? signature : options.signature;
  return fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)', ...(sig === null ? {} : { 'Stripe-Signature': sig }) },
    body: sent,
  });
}
