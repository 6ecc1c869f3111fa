import { parseWithZod } from '@conform-to/zod';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react';
import { Link } from '~/components/link';
import { buttonClass, cardClass, dangerButtonClass, Notice } from '~/components/status';
import { requireUser, userCan } from '~/modules/accounts/session.server';
import { badRequest, notFound, readFormData } from '~/modules/http/http.server';
import { pick, useLocale, useTr } from '~/modules/i18n/i18n';
import { formatFen } from '~/modules/money/money';
import { intParam } from '~/modules/orders/http.server';
import { INVOICE_STATUS_LABEL, invoiceOfOrder, requestInvoice } from '~/modules/orders/invoices.server';
import { buyerStep, cancelOrder, getOrderPage, OrderError } from '~/modules/orders/orders.server';
import { parcelPageNumber, parcelSteps } from '~/modules/orders/parcels';
import { orderActionSchema } from '~/modules/orders/schemas';
import { FULFILMENT_STATE_LABEL, ORDER_STATE_LABEL, orderTransition } from '~/modules/orders/state';
import { PAYEE } from '~/modules/payments/provider.server';
import { reviewsForOrder } from '~/modules/reviews/reviews.server';

const maskMobile = (m: string) => `${m.slice(0, 3)}****${m.slice(7)}`;

export const meta: MetaFunction = () => [{ title: '订单详情 · 山海集' }, { name: 'robots', content: 'noindex' }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const id = intParam(params.id);
  const page = parcelPageNumber(new URL(request.url).searchParams.get('parcels'));
  if (page === null) badRequest('包裹页码应为正整数 / parcels must be a page number');
  const found = await getOrderPage(id, page);
  if (!found || (found.order.buyerId !== user.id && !userCan(user, 'read:order:any'))) notFound('没有这个订单 / No such order');
  const { order, pager } = found;
  const isBuyer = order.buyerId === user.id;
  const invoice = order.flow === 'PROCUREMENT' ? await invoiceOfOrder(order.id) : null;
  const canRequestInvoice = isBuyer && order.flow === 'PROCUREMENT' && !invoice && ['PAID', 'SHIPPED', 'DELIVERED', 'COMPLETED', 'PARTLY_REFUNDED'].includes(order.state);
  const steps = parcelSteps(pager.states);
  return json({
    order, pager, isBuyer, invoice, canRequestInvoice, payee: PAYEE, reviews: isBuyer ? await reviewsForOrder(user.id, order.id, order.lines.map((l) => l.id)) : {}, canRefund: userCan(user, 'create:refund:any'),
    can: { cancel: isBuyer && orderTransition(order.state, 'cancel').ok, deliver: isBuyer && orderTransition(order.state, 'deliver').ok && steps.allShipped, complete: isBuyer && orderTransition(order.state, 'complete').ok && steps.allSettled },
  }, { headers: { 'Cache-Control': 'private, no-store' } });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const id = intParam(params.id);
  const form = await readFormData(request);
  if (form.get('intent') === 'invoice') {
    try {
      await requestInvoice(user, id);
    } catch (error) {
      if (error instanceof OrderError) return json({ status: 'error' as const, error: { '': [error.message] } }, { status: error.status });
      throw error;
    }
    return redirect(`/orders/${id}?invoice=1`);
  }
  const submission = parseWithZod(form, { schema: orderActionSchema });
  if (submission.status !== 'success') return json(submission.reply(), { status: 400 });
  try {
    if (submission.value.intent === 'cancel') await cancelOrder(user, id);
    else await buyerStep(user, id, submission.value.intent);
  } catch (error) {
    if (error instanceof OrderError) return json(submission.reply({ formErrors: [error.message] }), { status: error.status });
    throw error;
  }
  return redirect(`/orders/${id}`);
}

export default function OrderPage() {
  const { order, pager, isBuyer, payee, can, canRefund, reviews, invoice, canRequestInvoice } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const tr = useTr();
  const locale = useLocale();
  const errors = result?.error ? Object.values(result.error).flat() : [];
  const recipients = pager.recipients;
  const gift = recipients > 0;
  return (
    <div className="mx-auto max-w-3xl space-y-4 p-4">
      <p className="text-sm"><Link to="/orders" className="text-brand-700 underline">← {tr('我的订单', 'My orders')}</Link></p>
      <h1 className="text-2xl font-bold">{tr('订单', 'Order')} <span data-testid="order-reference">{order.reference}</span></h1>
      {params.get('placed') ? <Notice>{tr('订单已提交。', 'Your order has been placed.')}</Notice> : null}
      {params.get('invoice') ? <Notice>{tr('发票申请已提交。', 'Your invoice request has been sent.')}</Notice> : null}
      {params.get('reviewed') ? <Notice>{tr('感谢您的评价。', 'Thank you for your review.')}</Notice> : null}
      {errors.length ? <Notice tone="error">{errors.join('；')}</Notice> : null}
      <section className={cardClass}>
        <p>{tr('状态', 'State')}：<strong data-testid="order-state">{tr(...ORDER_STATE_LABEL[order.state])}</strong></p>
        <p>{tr('金额', 'Amount')}：<strong data-testid="order-total">{formatFen(order.totalFen)}</strong>{order.refundedFen ? ` · ${tr('已退', 'refunded')} ${formatFen(order.refundedFen)}` : ''}</p>
        {order.allowanceFen ? <p data-testid="order-allowance">{tr('福利额度支付', 'Paid from allowance')}：{formatFen(order.allowanceFen)} · {tr('应付余款', 'Rest due')}：{formatFen(order.totalFen - order.allowanceFen)}</p> : null}
        <p className="text-sm text-gray-600">{order.flow === 'PROCUREMENT' ? `${tr('单位采购', 'Organisation order')}：${order.buyerOrganisation?.name ?? ''} · ${tr('发票抬头', 'Invoice')} ${order.invoiceTitle} · ${tr('税号', 'Tax no.')} ${order.taxNumber}` : tr('个人购买', 'Personal order')}</p>
        <p className="text-sm text-gray-600">{gift ? `${tr('联系人', 'Contact')}：` : ''}{order.recipient} {maskMobile(order.mobile)} · {order.region} {order.street}</p>
      </section>
      {order.state === 'AWAITING_PAYMENT' && order.provider === 'BANK_TRANSFER' ? (
        <section className={`${cardClass} space-y-1 border-l-4 border-amber-400`} data-testid="transfer-instructions">
          <h2 className="font-semibold">{tr('对公转账付款', 'Pay by bank transfer')}</h2>
          <p className="text-sm">{tr('收款户名', 'Payee')}：{payee.name}</p>
          <p className="text-sm">{tr('开户行', 'Bank')}：{payee.bank}</p>
          <p className="text-sm">{tr('账号', 'Account')}：<span className="font-mono">{payee.account}</span></p>
          <p className="text-sm">{tr('金额', 'Amount')}：<strong data-testid="transfer-amount">{formatFen(order.totalFen - order.allowanceFen)}</strong></p>
          <p className="text-sm">{tr('付款参考号（请填写在转账附言中）', 'Reference (put it in the transfer remark)')}：<strong className="font-mono text-lg" data-testid="transfer-reference">{order.reference}</strong></p>
          <p className="text-xs text-gray-600">{tr(`请在 ${new Date(order.expiresAt).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false })} 前付款，逾期订单自动关闭。金额须与订单一致。`, `Pay before ${new Date(order.expiresAt).toISOString().slice(0, 16).replace('T', ' ')} UTC; the order closes after that. Pay the exact amount.`)}</p>
        </section>
      ) : null}
      {gift ? (
        <p className="text-sm" data-testid="gift-summary">
          {tr(`礼品分发：${recipients} 位收件人，每位收件人一个包裹（多个商家时分别发货）`, `Gift distribution: ${recipients} recipients, one parcel each (one per seller)`)}
          {' · '}{Object.entries(pager.states).map(([state, n]) => `${tr(...FULFILMENT_STATE_LABEL[state as keyof typeof FULFILMENT_STATE_LABEL])} ${n}`).join('，')}
        </p>
      ) : null}
      {pager.pages > 1 ? <ParcelPager page={pager.page} pages={pager.pages} total={pager.total} /> : null}
      <section className={cardClass} aria-label={gift ? tr('收件人及包裹', 'Recipients and parcels') : tr('商品', 'Items')}>
        {order.fulfilments.map((f) => (
          <div key={f.id} className="py-2" data-testid={f.recipientNo ? 'recipient' : undefined}>
            {f.recipientNo ? (
              <p className="text-sm">
                <span className="text-gray-500">{tr(`名单第 ${f.recipientNo} 行`, `List row ${f.recipientNo}`)}</span> · <strong>{f.recipientName}</strong> {maskMobile(f.recipientMobile ?? '')} · {f.recipientAddress}
              </p>
            ) : null}
            <h2 className="font-semibold">{f.seller.name} <span className="text-sm font-normal text-gray-600" data-testid="parcel-state">· {tr(...FULFILMENT_STATE_LABEL[f.state])}{f.trackingNo ? ` · ${f.carrier} ${f.trackingNo}` : ''}</span></h2>
            <ul className="text-sm">
              {order.lines.filter((l) => l.fulfilmentId === f.id).map((l) => (
                <li key={l.id} className="flex justify-between py-1">
                  <span>{pick(locale, l.productNameZh, l.productNameEn)} · {l.variantNameZh} × {l.quantity}{l.refundedQuantity ? ` (${tr('已退', 'refunded')} ${l.refundedQuantity})` : ''}</span>
                  <span>{formatFen(l.amountFen)}</span>
                  {reviews[l.id]?.review ? <span className="ml-2 text-xs text-amber-700" data-testid="line-reviewed">{'★'.repeat(reviews[l.id]!.review!.rating)}</span> : reviews[l.id]?.canReview ? <Link to={`/orders/${order.id}/review?line=${l.id}`} className="ml-2 text-xs text-brand-700 underline" data-testid="review-link">{tr('评价', 'Review')}</Link> : null}
                </li>
              ))}
            </ul>
          </div>
        ))}
      </section>
      {pager.pages > 1 ? <ParcelPager page={pager.page} pages={pager.pages} total={pager.total} /> : null}
      {isBuyer ? (
        <div className="flex flex-wrap gap-2">
          {can.cancel ? <Form method="post"><input type="hidden" name="intent" value="cancel" /><button type="submit" disabled={navigation.state !== 'idle'} className={dangerButtonClass}>{tr('取消订单', 'Cancel the order')}</button></Form> : null}
          {can.deliver ? <Form method="post"><input type="hidden" name="intent" value="deliver" /><button type="submit" className={buttonClass}>{tr('确认收货', 'Confirm delivery')}</button></Form> : null}
          {can.complete ? <Form method="post"><input type="hidden" name="intent" value="complete" /><button type="submit" className={buttonClass}>{tr('完成订单', 'Complete the order')}</button></Form> : null}
        </div>
      ) : null}
      {invoice || canRequestInvoice ? (
        <section className={cardClass} aria-labelledby="invoice" data-testid="invoice">
          <h2 id="invoice" className="mb-1 font-semibold">{tr('发票', 'Invoice')}</h2>
          {invoice ? (
            <p className="text-sm">
              <strong data-testid="invoice-status">{tr(INVOICE_STATUS_LABEL[invoice.status][0], INVOICE_STATUS_LABEL[invoice.status][1])}</strong> · {invoice.title} · {tr('税号', 'Tax no.')} {invoice.taxNumber} · {formatFen(invoice.amountFen)}
              {invoice.status === 'ISSUED' ? ` · ${tr('发票号码', 'Invoice no.')} ${invoice.invoiceNumber} · ${tr('开票日期', 'Issued on')} ${String(invoice.issuedOn).slice(0, 10)}` : ''}
            </p>
          ) : (
            <Form method="post"><input type="hidden" name="intent" value="invoice" /><button type="submit" disabled={navigation.state !== 'idle'} className={buttonClass}>{tr('申请开具发票', 'Request an invoice')}</button></Form>
          )}
        </section>
      ) : null}
      {canRefund && ['PAID', 'SHIPPED', 'DELIVERED', 'COMPLETED', 'PARTLY_REFUNDED'].includes(order.state) ? <p><Link to={`/finance/orders/${order.id}/refund`} className="text-brand-700 underline">{tr('退款', 'Refund')}</Link></p> : null}
      <section className={cardClass} aria-labelledby="timeline">
        <h2 id="timeline" className="mb-2 font-semibold">{tr('订单进度', 'Timeline')}</h2>
        <ol className="space-y-2 border-l border-gray-200 pl-4 text-sm" data-testid="timeline">
          {order.events.map((e) => (
            <li key={e.id}><span className="text-xs text-gray-500">{new Date(e.createdAt).toLocaleString(locale, { timeZone: 'Asia/Shanghai', hour12: false })}</span><br />{pick(locale, e.messageZh, e.messageEn)}</li>
          ))}
        </ol>
      </section>
    </div>
  );
}

/** Pages of a large gift order's parcels (?parcels=n keeps the rest of the page as it is). */
function ParcelPager({ page, pages, total }: { page: number; pages: number; total: number }) {
  const tr = useTr();
  const [params] = useSearchParams();
  const to = (n: number) => {
    const next = new URLSearchParams(params);
    next.set('parcels', String(n));
    return `?${next.toString()}`;
  };
  return (
    <nav aria-label={tr('包裹分页', 'Parcel pages')} className="flex items-center gap-3 text-sm" data-testid="parcel-pager">
      {page > 1 ? <Link to={to(page - 1)} className="text-brand-700 underline">{tr('上一页', 'Previous')}</Link> : null}
      <span>{tr(`第 ${page} / ${pages} 页，共 ${total} 个包裹`, `Page ${page} of ${pages}, ${total} parcels`)}</span>
      {page < pages ? <Link to={to(page + 1)} className="text-brand-700 underline">{tr('下一页', 'Next')}</Link> : null}
    </nav>
  );
}
