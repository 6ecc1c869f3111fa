import { parseWithZod } from '@conform-to/zod';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { Link } from '~/components/link';
import { z } from 'zod';
import { DecisionForm } from '~/components/decision-form';
import { UnplacedReply } from '~/components/row-form';
import { formIdOf, type RowReply } from '~/modules/forms/rows';
import { cardClass, Notice } from '~/components/status';
import { requirePermission } from '~/modules/accounts/session.server';
import { badRequest, parseQuery, readFormData } from '~/modules/http/http.server';
import { useTr } from '~/modules/i18n/i18n';
import { approveApplication, listApplications, rejectApplication } from '~/modules/sellers/applications.server';
import { decisionSchema } from '~/modules/sellers/schemas';

export const meta: MetaFunction = () => [{ title: '商家入驻审核 · 山海集' }, { name: 'robots', content: 'noindex' }];

const STATUSES = ['PENDING', 'APPROVED', 'REJECTED'] as const;

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'update:seller:any');
  const q = parseQuery(new URL(request.url), { status: z.enum(STATUSES).default('PENDING') });
  if (!q.ok) badRequest(q.message);
  return json({ status: q.data.status, applications: await listApplications(q.data.status) });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'update:seller:any');
  const formData = await readFormData(request);
  const formId = formIdOf(formData);
  const submission = parseWithZod(formData, { schema: decisionSchema });
  if (submission.status !== 'success') return json<RowReply>({ formId, result: submission.reply() }, { status: 400 });
  const { id, decision, reason } = submission.value;
  const r = decision === 'approve' ? await approveApplication(user, id) : await rejectApplication(user, id, reason ?? '');
  if (!r.ok) return json<RowReply>({ formId, result: submission.reply({ formErrors: [r.message] }) }, { status: 409 });
  return json<RowReply>({ formId, done: decision === 'approve' ? '已通过，商家已创建 / Approved: the seller was created' : '已驳回 / Rejected' });
}

export default function AdminSellers() {
  const { status, applications } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const navigation = useNavigation();
  const tr = useTr();
  const labels = { PENDING: tr('待审核', 'Pending'), APPROVED: tr('已通过', 'Approved'), REJECTED: tr('已驳回', 'Rejected') };
  const kinds = { COOPERATIVE: tr('合作社', 'Cooperative'), ENTERPRISE: tr('企业', 'Enterprise'), FAMILY_FARM: tr('家庭农场', 'Family farm') };
  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <h1 className="text-xl font-bold">{tr('商家入驻审核', 'Seller applications')}</h1>
      <nav className="flex gap-2 text-sm" aria-label={tr('状态', 'Status')}>
        {STATUSES.map((s) => (
          <Link key={s} to={`?status=${s}`} aria-current={s === status ? 'page' : undefined} className={`rounded-full px-3 py-1 ${s === status ? 'bg-brand-600 text-white' : 'border border-gray-200 bg-white'}`}>{labels[s]}</Link>
        ))}
      </nav>
      {data?.done ? <Notice>{data.done}</Notice> : null}
      <UnplacedReply data={data} formIds={applications.filter((a) => a.status === 'PENDING').map((a) => `application-${a.id}`)} />
      {applications.length === 0 ? <p className="text-gray-500">{tr('没有申请', 'No applications')}</p> : null}
      <ul className="space-y-3" data-testid="applications">
        {applications.map((a) => (
          <li key={a.id} className={`${cardClass} space-y-2`}>
            <h2 className="font-semibold">{a.name} <span className="text-sm font-normal text-gray-500">{kinds[a.kind]}</span></h2>
            <dl className="grid grid-cols-[7rem_1fr] gap-y-1 text-sm">
              <dt className="text-gray-500">{tr('信用代码', 'Credit code')}</dt><dd className="font-mono">{a.creditCode}</dd>
              <dt className="text-gray-500">{tr('所在地', 'County')}</dt><dd>{a.county.parent?.name} {a.county.name}</dd>
              <dt className="text-gray-500">{tr('联系人', 'Contact')}</dt><dd>{a.contactName} {a.contactPhone}</dd>
              <dt className="text-gray-500">{tr('申请人', 'Applicant')}</dt><dd>{a.applicant.name} · {a.applicant.email}</dd>
              <dt className="text-gray-500">{tr('营业执照', 'Licence')}</dt><dd><a href={`/private/licences/${a.id}`} target="_blank" rel="noreferrer" className="text-brand-700 underline">{tr('查看图片', 'View picture')}</a></dd>
              {a.rejectionReason ? (<><dt className="text-gray-500">{tr('驳回理由', 'Reason')}</dt><dd>{a.rejectionReason}</dd></>) : null}
            </dl>
            {a.descriptionZh ? <p className="text-sm text-gray-700">{a.descriptionZh}</p> : null}
            {a.status === 'PENDING' ? <DecisionForm formId={`application-${a.id}`} id={a.id} actionData={data} submitting={navigation.state === 'submitting'} approveLabel={tr('通过并创建商家', 'Approve and create the seller')} /> : null}
          </li>
        ))}
      </ul>
    </div>
  );
}
