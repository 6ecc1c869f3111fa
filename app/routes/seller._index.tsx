import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, useLoaderData, useSearchParams } from '@remix-run/react';
import { Link } from '~/components/link';
import { buttonClass, cardClass, Notice, ProductStatusBadge } from '~/components/status';
import { requireUser } from '~/modules/accounts/session.server';
import { badRequest, readFormData } from '~/modules/http/http.server';
import { pick, useLocale, useTr } from '~/modules/i18n/i18n';
import { formatFen } from '~/modules/money/money';
import { currentSeller, idParam } from '~/modules/sellers/access.server';
import { myApplications } from '~/modules/sellers/applications.server';
import { sellerListings } from '~/modules/sellers/listings.server';
import { markNotificationRead, sellerNotifications, userNotifications } from '~/modules/sellers/notifications.server';
import { LOW_STOCK_THRESHOLD, lowStockVariants } from '~/modules/sellers/stock.server';

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const seller = await currentSeller(user);
  const [applications, personal] = await Promise.all([myApplications(user.id), userNotifications(user.id)]);
  if (!seller || seller.verificationStatus !== 'VERIFIED') {
    return json({ seller: null, applications, notifications: personal, lowStock: [], listings: [], threshold: LOW_STOCK_THRESHOLD });
  }
  const [notifications, lowStock, listings] = await Promise.all([sellerNotifications(seller.id), lowStockVariants(seller.id), sellerListings(seller.id)]);
  return json({ seller: { id: seller.id, name: seller.name }, applications, notifications: [...notifications, ...personal.filter((p) => p.readAt === null)], lowStock, listings, threshold: LOW_STOCK_THRESHOLD });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readFormData(request);
  if (form.get('_action') !== 'read') badRequest('未知操作 / Unknown action');
  await markNotificationRead(user, idParam(String(form.get('id') ?? ''), 'id'));
  return json({ ok: true });
}

export default function SellerDashboard() {
  const { seller, applications, notifications, lowStock, listings, threshold } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const tr = useTr();
  const locale = useLocale();
  const unread = notifications.filter((n) => !n.readAt);
  return (
    <div className="space-y-5">
      {params.get('applied') ? <Notice>{tr('申请已提交，平台审核后会通知您。', 'Application sent. You will be told when it has been reviewed.')}</Notice> : null}
      {params.get('joined') ? <Notice>{tr('您已成为商家员工。', 'You are now staff of the seller.')}</Notice> : null}

      {notifications.length ? (
        <section aria-labelledby="notifications" className={cardClass}>
          <h2 id="notifications" className="mb-2 font-semibold">{tr('通知', 'Notifications')} {unread.length ? <span className="rounded-full bg-red-600 px-2 text-xs text-white">{unread.length}</span> : null}</h2>
          <ul className="divide-y divide-gray-100" data-testid="notifications">
            {notifications.map((n) => (
              <li key={n.id} className={`flex items-start gap-2 py-2 text-sm ${n.readAt ? 'text-gray-500' : ''}`}>
                <div className="flex-1">
                  {n.link ? <Link to={n.link} className="font-medium hover:underline">{pick(locale, n.titleZh, n.titleEn)}</Link> : <span className="font-medium">{pick(locale, n.titleZh, n.titleEn)}</span>}
                  {n.bodyZh ? <p className="text-xs">{pick(locale, n.bodyZh, n.bodyEn)}</p> : null}
                </div>
                {!n.readAt ? (
                  <Form method="post">
                    <input type="hidden" name="_action" value="read" />
                    <input type="hidden" name="id" value={n.id} />
                    <button type="submit" className="text-xs text-brand-700 underline">{tr('已读', 'Mark read')}</button>
                  </Form>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {!seller ? (
        <section className={`${cardClass} space-y-3`}>
          <h1 className="text-xl font-bold">{tr('在山海集开店', 'Sell on Shanhai Market')}</h1>
          <p className="text-sm text-gray-600">{tr('结对地区的合作社、企业和家庭农场可申请入驻。需要统一社会信用代码和营业执照照片。', 'Cooperatives, enterprises and family farms of the paired places can apply. You need the unified social credit code and a photo of the business licence.')}</p>
          {applications.length ? (
            <ul className="space-y-2 text-sm" data-testid="applications">
              {applications.map((a) => (
                <li key={a.id} className="rounded border border-gray-200 p-2">
                  <span className="font-medium">{a.name}</span> ·{' '}
                  {a.status === 'PENDING' ? tr('待审核', 'waiting for review') : a.status === 'APPROVED' ? tr('已通过', 'approved') : tr('未通过', 'not approved')}
                  {a.rejectionReason ? <p className="text-red-700">{tr('理由：', 'Reason: ')}{a.rejectionReason}</p> : null}
                </li>
              ))}
            </ul>
          ) : null}
          {applications.some((a) => a.status === 'PENDING') ? null : <Link to="/seller/apply" className={buttonClass}>{tr('申请入驻', 'Apply to sell')}</Link>}
        </section>
      ) : (
        <>
          {lowStock.length ? (
            <section aria-labelledby="low-stock" className="rounded-lg border border-amber-300 bg-amber-50 p-4">
              <h2 id="low-stock" className="mb-2 font-semibold text-amber-900">{tr(`库存不足（≤ ${threshold}）`, `Low stock (≤ ${threshold})`)}</h2>
              <ul className="space-y-1 text-sm" data-testid="low-stock">
                {lowStock.map((v) => (
                  <li key={v.id}>
                    <Link to={`/seller/products/${v.product.id}/stock`} className="hover:underline">
                      {pick(locale, v.product.nameZh, v.product.nameEn)} · {pick(locale, v.nameZh, v.nameEn)}：<strong>{v.stock}</strong> {v.unit}
                    </Link>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}

          <section aria-labelledby="listings" className="space-y-2">
            <div className="flex items-center justify-between">
              <h2 id="listings" className="font-semibold">{tr('我的商品', 'My goods')} <span className="text-sm text-gray-500">({listings.length})</span></h2>
              <Link to="/seller/products/new" className={buttonClass}>{tr('发布商品', 'New listing')}</Link>
            </div>
            <ul className="space-y-2" data-testid="listings">
              {listings.map((p) => (
                <li key={p.id}>
                  <Link to={`/seller/products/${p.id}`} className="flex gap-3 rounded-lg bg-white p-2 shadow-sm">
                    {p.image ? <img src={p.image} alt="" width={80} height={60} className="h-15 w-20 rounded object-cover" /> : <div className="h-15 w-20 rounded bg-brand-50" aria-hidden />}
                    <div className="min-w-0 flex-1 text-sm">
                      <p className="truncate font-medium">{pick(locale, p.nameZh, p.nameEn)}</p>
                      <p className="text-gray-500">{formatFen(p.minPriceFen)} · {tr('库存', 'stock')} {p.stock}</p>
                      <p className="mt-1 flex gap-1"><ProductStatusBadge status={p.status} />{p.certificatePending ? <span className="rounded bg-amber-100 px-1.5 py-0.5 text-xs text-amber-800">{tr('证书待审', 'certificate pending')}</span> : null}</p>
                    </div>
                  </Link>
                </li>
              ))}
            </ul>
          </section>
        </>
      )}
    </div>
  );
}
