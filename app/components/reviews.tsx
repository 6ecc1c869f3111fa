// The product page's reviews: average rating, count and the visible reviews with seller replies.
import { useLocale, useTr } from '~/modules/i18n/i18n';

type Review = { id: number; rating: number; body: string; sellerReply: string | null; createdAt: string; author: string };

export function Stars({ rating }: { rating: number }) {
  const tr = useTr();
  const full = Math.round(rating);
  return (
    <span className="text-amber-500" role="img" aria-label={tr(`${rating} 星`, `${rating} stars`)}>
      {'★'.repeat(full)}<span className="text-gray-300">{'★'.repeat(5 - full)}</span>
    </span>
  );
}

export function ProductReviews({ summary }: { summary: { count: number; average: number | null; reviews: Review[] } }) {
  const tr = useTr();
  const locale = useLocale();
  return (
    <section aria-labelledby="reviews" className="space-y-3 md:col-span-2" data-testid="product-reviews">
      <h2 id="reviews" className="text-lg font-semibold">
        {tr('买家评价', 'Buyer reviews')}{' '}
        {summary.average !== null ? (
          <span className="text-base font-normal"><Stars rating={summary.average} /> <span data-testid="rating-average">{summary.average.toFixed(1)}</span> · <span data-testid="rating-count">{summary.count}</span> {tr('条', 'reviews')}</span>
        ) : null}
      </h2>
      {summary.count === 0 ? <p className="text-sm text-gray-500">{tr('暂无评价。只有确认收货的买家可以评价。', 'No reviews yet. Only buyers of delivered orders can review.')}</p> : null}
      <ul className="space-y-3">
        {summary.reviews.map((r) => (
          <li key={r.id} className="rounded border border-gray-200 bg-white p-3 text-sm" data-testid="review">
            <p><Stars rating={r.rating} /> <span className="text-gray-600">{r.author} · {new Date(r.createdAt).toLocaleDateString(locale, { timeZone: 'Asia/Shanghai' })}</span></p>
            {r.body ? <p className="mt-1 whitespace-pre-line">{r.body}</p> : null}
            {r.sellerReply ? <p className="mt-2 rounded bg-gray-50 p-2 text-gray-700"><span className="font-medium">{tr('商家回复', 'Seller reply')}：</span>{r.sellerReply}</p> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
