import { parseWithZod } from '@conform-to/zod';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { Link } from '~/components/link';
import { DecisionForm } from '~/components/decision-form';
import { UnplacedReply } from '~/components/row-form';
import { formIdOf, type RowReply } from '~/modules/forms/rows';
import { cardClass, CertificateStatusBadge, ProductStatusBadge } from '~/components/status';
import { badRequest, readFormData } from '~/modules/http/http.server';
import { useTr } from '~/modules/i18n/i18n';
import { formatFen } from '~/modules/money/money';
import { idParam, requireReviewer } from '~/modules/sellers/access.server';
import { approveListing, listingForReview, OVERPRICED_RATIO, rejectListing, reviewCertificate } from '~/modules/sellers/reviews.server';
import { decisionSchema } from '~/modules/sellers/schemas';

export const meta: MetaFunction = () => [{ title: '审核商品 · 山海集' }, { name: 'robots', content: 'noindex' }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user } = await requireReviewer(request);
  const product = await listingForReview(user, idParam(params.id));
  return json({ product, ratio: OVERPRICED_RATIO });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const productId = idParam(params.id);
  const { user } = await requireReviewer(request);
  const formData = await readFormData(request);
  const formId = formIdOf(formData);
  const subject = formData.get('subject');
  if (subject !== 'listing' && subject !== 'certificate') badRequest('未知审核对象 / Unknown subject');
  const submission = parseWithZod(formData, { schema: decisionSchema });
  if (submission.status !== 'success') return json<RowReply>({ formId, result: submission.reply() }, { status: 400 });
  if (submission.value.id !== productId) badRequest('商品不一致 / Product mismatch');
  const { decision, reason = '' } = submission.value;
  const r =
    subject === 'listing'
      ? decision === 'approve' ? await approveListing(user, productId) : await rejectListing(user, productId, reason)
      : await reviewCertificate(user, productId, decision === 'approve' ? 'APPROVED' : 'REJECTED', reason);
  if (!r.ok) return json<RowReply>({ formId, result: submission.reply({ formErrors: [r.message] }) }, { status: 409 });
  return redirect('/admin/listings');
}

export default function ReviewListing() {
  const { product: p, ratio } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const navigation = useNavigation();
  const tr = useTr();
  const pending = p.certificates.find((c) => c.status === 'PENDING');
  const submitting = navigation.state === 'submitting';
  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <p className="text-sm"><Link to="/admin/listings" className="text-brand-700 underline">← {tr('审核列表', 'Review list')}</Link></p>
      <section className={`${cardClass} space-y-3`}>
        <div className="flex items-start justify-between gap-2">
          <h1 className="text-xl font-bold">{p.nameZh}</h1>
          <ProductStatusBadge status={p.status} />
        </div>
        {p.nameEn ? <p className="text-sm text-gray-500" lang="en">{p.nameEn}</p> : null}
        <ul className="grid grid-cols-3 gap-2">
          {p.images.map((i) => <li key={i.id}><img src={i.src} alt={i.altZh} width={320} height={240} className="aspect-[4/3] w-full rounded object-cover" /></li>)}
        </ul>
        <dl className="grid grid-cols-[6rem_1fr] gap-y-1 text-sm">
          <dt className="text-gray-500">{tr('商家', 'Seller')}</dt><dd>{p.seller.name} <span className="font-mono text-xs">{p.seller.creditCode}</span></dd>
          <dt className="text-gray-500">{tr('产地', 'Origin')}</dt><dd>{p.origin.name} ({p.origin.code})</dd>
          <dt className="text-gray-500">{tr('品类', 'Category')}</dt><dd>{p.category.nameZh}</dd>
          <dt className="text-gray-500">{tr('统计类别', 'Kind')}</dt><dd>{p.statisticsKind === 'HANDICRAFT' ? tr('特色手工艺产品', 'Handicraft') : tr('农畜牧产品', 'Agricultural & livestock')}</dd>
          {p.referencePriceSource ? (<><dt className="text-gray-500">{tr('参考价来源', 'Price source')}</dt><dd>{p.referencePriceSource}</dd></>) : null}
        </dl>
        <table className="w-full text-left text-sm">
          <thead><tr className="text-gray-500"><th className="py-1">{tr('规格', 'Spec')}</th><th>{tr('价格', 'Price')}</th><th>{tr('参考价', 'Reference')}</th><th>{tr('库存', 'Stock')}</th></tr></thead>
          <tbody>
            {p.variants.map((v) => {
              const high = v.referencePriceFen ? v.priceFen > v.referencePriceFen * ratio : false;
              return (
                <tr key={v.id} className="border-t border-gray-100">
                  <td className="py-1">{v.nameZh}</td>
                  <td className={high ? 'font-semibold text-red-700' : ''}>{formatFen(v.priceFen)}</td>
                  <td>{v.referencePriceFen ? formatFen(v.referencePriceFen) : '—'}</td>
                  <td>{v.stock} {v.unit}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <div className="whitespace-pre-line text-sm text-gray-700">{p.descriptionZh}</div>
      </section>

      <section className={`${cardClass} space-y-2`} aria-labelledby="certs">
        <h2 id="certs" className="font-semibold">{tr('认定证书', 'Certificates')}</h2>
        {p.certificates.length === 0 ? <p className="text-sm text-gray-500">{tr('未提交证书', 'No certificate')}</p> : null}
        <ul className="space-y-1 text-sm">
          {p.certificates.map((c) => (
            <li key={c.id}>
              <CertificateStatusBadge status={c.status} /> {c.number} · {c.issuer} · {tr('有效期至', 'valid until')} {c.validUntil.slice(0, 10)}
              {c.imageKey ? <> · <a href={`/private/certificates/${c.id}`} target="_blank" rel="noreferrer" className="text-brand-700 underline">{tr('查看图片', 'View picture')}</a></> : null}
            </li>
          ))}
        </ul>
      </section>

      <UnplacedReply data={data} formIds={p.status === 'IN_REVIEW' ? ['listing'] : pending ? ['certificate'] : []} />
      {p.status === 'IN_REVIEW' ? (
        <section className={`${cardClass} space-y-2`} aria-labelledby="decide">
          <h2 id="decide" className="font-semibold">{tr('审核上架', 'Decide on the listing')}{pending ? tr('（通过时同时通过待审证书）', ' (approving also approves its certificate)') : ''}</h2>
          <DecisionForm formId="listing" subject="listing" id={p.id} actionData={data} submitting={submitting} approveLabel={tr('通过并上架', 'Approve and list')} />
        </section>
      ) : pending ? (
        <section className={`${cardClass} space-y-2`} aria-labelledby="decide-cert">
          <h2 id="decide-cert" className="font-semibold">{tr('审核新证书', 'Decide on the new certificate')}</h2>
          <DecisionForm formId="certificate" subject="certificate" id={p.id} actionData={data} submitting={submitting} />
        </section>
      ) : null}

      {p.reviews.length ? (
        <section className={cardClass} aria-labelledby="history">
          <h2 id="history" className="mb-2 font-semibold">{tr('审核记录', 'History')}</h2>
          <ul className="text-sm">
            {p.reviews.map((r, i) => <li key={i}>{r.createdAt.slice(0, 10)} · {r.subject === 'LISTING' ? tr('上架', 'listing') : tr('证书', 'certificate')} · {r.decision === 'APPROVED' ? tr('通过', 'approved') : tr('驳回', 'rejected')}{r.reason ? `：${r.reason}` : ''}</li>)}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
