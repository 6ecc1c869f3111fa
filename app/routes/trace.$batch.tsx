// Public traceability page a batch's QR code points to.
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { Link } from '~/components/link';
import { badRequest, notFound } from '~/modules/http/http.server';
import { pick, useLocale, useT, useTr } from '~/modules/i18n/i18n';
import { absoluteUrl } from '~/modules/seo/seo';
import { BATCH_CODE, batchForTrace, qrSvg } from '~/modules/sellers/batches.server';

export async function loader({ params, request }: LoaderFunctionArgs) {
  const code = params.batch ?? '';
  if (!BATCH_CODE.test(code)) badRequest('批次编号格式不正确 / Malformed batch code');
  const batch = await batchForTrace(code);
  if (!batch) notFound(`没有批次 ${code} / No batch ${code}`);
  const url = absoluteUrl(request, `/trace/${code}`);
  return json({ batch, qr: await qrSvg(url) });
}

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data ? [{ title: `溯源：${data.batch.product.nameZh} · 山海集` }, { name: 'robots', content: 'noindex' }] : [{ title: '山海集' }];

export default function TracePage() {
  const { batch, qr } = useLoaderData<typeof loader>();
  const t = useT();
  const tr = useTr();
  const locale = useLocale();
  const p = batch.product;
  return (
    <article className="mx-auto max-w-xl space-y-4">
      <p className="text-sm text-brand-700">{tr('产品溯源', 'Product trace')}</p>
      <h1 className="text-2xl font-bold" data-testid="trace-product">{pick(locale, p.nameZh, p.nameEn)}</h1>
      {p.image ? <img src={p.image.src} srcSet={p.image.srcSet} sizes="(min-width: 640px) 36rem, 100vw" alt={pick(locale, p.image.altZh, p.image.altEn)} width={640} height={480} className="w-full rounded-lg" /> : null}
      <dl className="grid grid-cols-[7rem_1fr] gap-y-2 rounded-lg bg-white p-4 text-sm shadow-sm">
        <dt className="text-gray-500">{tr('批次编号', 'Batch')}</dt><dd className="font-mono">{batch.code}</dd>
        <dt className="text-gray-500">{batch.dateKind === 'HARVESTED' ? tr('采收日期', 'Harvested on') : tr('生产日期', 'Produced on')}</dt><dd data-testid="trace-date">{batch.producedOn.slice(0, 10)}</dd>
        <dt className="text-gray-500">{tr('基地 / 农场', 'Base / farm')}</dt><dd>{batch.baseName}</dd>
        {batch.quantity ? (<><dt className="text-gray-500">{tr('数量', 'Quantity')}</dt><dd>{batch.quantity}</dd></>) : null}
        <dt className="text-gray-500">{t('product.origin')}</dt>
        <dd>{batch.originPath.map((o, i) => <span key={o.code}>{i > 0 ? ' › ' : ''}<Link to={`/places/${o.code}`} className="hover:underline">{o.name}</Link></span>)}</dd>
        <dt className="text-gray-500">{t('product.pairing')}</dt>
        <dd>{batch.pairings.length ? batch.pairings.map((x, i) => <span key={x.slug}>{i > 0 ? '；' : ''}<Link to={`/pairings/${x.slug}`} className="hover:underline">{x.nameZh}</Link></span>) : '—'}</dd>
        <dt className="text-gray-500">{t('product.seller')}</dt><dd>{pick(locale, p.seller.name, p.seller.nameEn)}{p.seller.verificationStatus === 'VERIFIED' ? ` · ${tr('已认证商家', 'verified seller')}` : ''}</dd>
        {p.certificateNo ? (
          <>
            <dt className="text-gray-500">{t('product.certified')}</dt>
            <dd>{p.certified ? '✓' : <span className="text-red-700">{t('product.certificateExpired')}</span>} {p.certificateNo} · {p.certificateIssuer} · {t('product.validUntil')} {p.certifiedUntil?.slice(0, 10)}</dd>
          </>
        ) : null}
        {batch.inspectionReportNo || batch.inspectionAgency ? (
          <>
            <dt className="text-gray-500">{tr('检测报告', 'Inspection')}</dt>
            <dd>{batch.inspectionReportNo}{batch.inspectionAgency ? ` · ${batch.inspectionAgency}` : ''}</dd>
          </>
        ) : null}
      </dl>
      {batch.inspectionImage ? <img src={batch.inspectionImage.src} srcSet={batch.inspectionImage.srcSet} sizes="(min-width: 640px) 36rem, 100vw" alt={tr('检测报告', 'Inspection report')} width={960} height={720} className="w-full rounded-lg border border-gray-200" /> : null}
      {batch.notes ? <p className="whitespace-pre-line text-sm text-gray-700">{batch.notes}</p> : null}
      {p.status === 'LISTED' ? <Link to={`/products/${p.slug}`} className="inline-block rounded bg-brand-600 px-4 py-2 text-white">{tr('查看商品', 'See the product')}</Link> : null}
      <div className="mx-auto h-40 w-40 [&>svg]:h-full [&>svg]:w-full" role="img" aria-label={tr('本页二维码', 'QR code of this page')} dangerouslySetInnerHTML={{ __html: qr }} />
    </article>
  );
}
