import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { Link } from '~/components/link';
import { z } from 'zod';
import { cardClass, ProductStatusBadge } from '~/components/status';
import { badRequest, parseQuery } from '~/modules/http/http.server';
import { useTr } from '~/modules/i18n/i18n';
import { formatFen } from '~/modules/money/money';
import { requireReviewer } from '~/modules/sellers/access.server';
import { OVERPRICED_RATIO, overpricedListings, reviewQueue } from '~/modules/sellers/reviews.server';

export const meta: MetaFunction = () => [{ title: '商品审核 · 山海集' }, { name: 'robots', content: 'noindex' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireReviewer(request);
  const q = parseQuery(new URL(request.url), { flag: z.enum(['overpriced']).optional() });
  if (!q.ok) badRequest(q.message);
  const items = q.data.flag === 'overpriced' ? await overpricedListings(user) : await reviewQueue(user);
  return json({ flag: q.data.flag ?? null, items, ratio: OVERPRICED_RATIO });
}

export default function AdminListings() {
  const { flag, items, ratio } = useLoaderData<typeof loader>();
  const tr = useTr();
  const tab = (active: boolean) => `rounded-full px-3 py-1 ${active ? 'bg-brand-600 text-white' : 'border border-gray-200 bg-white'}`;
  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <h1 className="text-xl font-bold">{tr('商品审核', 'Listing review')}</h1>
      <nav className="flex gap-2 text-sm" aria-label={tr('筛选', 'Filter')}>
        <Link to="/admin/listings" className={tab(!flag)} aria-current={!flag ? 'page' : undefined}>{tr('待审核', 'Waiting')}</Link>
        <Link to="/admin/listings?flag=overpriced" className={tab(flag === 'overpriced')} aria-current={flag ? 'page' : undefined}>{tr(`价格偏高（> 参考价 ×${ratio}）`, `Priced high (> ${ratio}× reference)`)}</Link>
      </nav>
      {items.length === 0 ? <p className="text-gray-500">{tr('没有需要处理的商品', 'Nothing to do')}</p> : null}
      <ul className="space-y-2" data-testid="review-queue">
        {items.map((p) => (
          <li key={p.id}>
            <Link to={`/admin/listings/${p.id}`} className={`${cardClass} flex gap-3`}>
              {p.image ? <img src={p.image} alt="" width={96} height={72} className="h-18 w-24 rounded object-cover" /> : <div className="h-18 w-24 rounded bg-brand-50" aria-hidden />}
              <div className="min-w-0 flex-1 text-sm">
                <p className="font-medium">{p.nameZh}</p>
                <p className="text-gray-500">{p.seller.name} · {p.origin.name}</p>
                <p className="mt-1 flex flex-wrap items-center gap-1">
                  <ProductStatusBadge status={p.status} />
                  {p.pendingCertificate ? <span className="rounded bg-amber-100 px-1.5 py-0.5 text-xs text-amber-800">{tr('证书待审', 'certificate pending')} {p.pendingCertificate.number}</span> : null}
                  {p.maxRatio > ratio ? <span className="rounded bg-red-100 px-1.5 py-0.5 text-xs text-red-700" data-testid="overpriced">{tr('高于参考价', 'above reference')} ×{p.maxRatio.toFixed(2)}</span> : null}
                </p>
                {flag ? (
                  <p className="text-xs text-gray-600">
                    {p.variants.filter((v) => v.referencePriceFen).map((v) => `${v.nameZh} ${formatFen(v.priceFen)} / ${formatFen(v.referencePriceFen!)}`).join('；')}
                    {p.referencePriceSource ? ` · ${tr('来源', 'source')}：${p.referencePriceSource}` : ''}
                  </p>
                ) : null}
              </div>
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}
