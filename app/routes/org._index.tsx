// My organisations: the unions, budget units and enterprises the user belongs to, with their role.
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { Link } from '~/components/link';
import { cardClass } from '~/components/status';
import { requireUser } from '~/modules/accounts/session.server';
import { useTr } from '~/modules/i18n/i18n';
import { myOrganisations } from '~/modules/organisations/organisations.server';
import { KIND_LABELS, ROLE_LABELS } from '~/modules/organisations/labels';

export const meta: MetaFunction = () => [{ title: '我的单位 · 山海集' }, { name: 'robots', content: 'noindex' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return json({ organisations: await myOrganisations(user.id) });
}

export default function MyOrganisations() {
  const { organisations } = useLoaderData<typeof loader>();
  const tr = useTr();
  return (
    <section className="space-y-4">
      <h1 className="text-2xl font-bold">{tr('我的单位', 'My organisations')}</h1>
      {organisations.length === 0 ? (
        <p className={cardClass}>{tr('您还不是任何单位的成员。单位管理员可以通过邮件邀请您加入。', 'You are not a member of any organisation yet. An organisation admin can invite you by email.')}</p>
      ) : (
        <ul className="space-y-2" data-testid="my-organisations">
          {organisations.map((o) => (
            <li key={o.id} className={cardClass}>
              <Link to={`/org/${o.id}`} className="font-semibold text-brand-700 underline">{o.name}</Link>
              <p className="text-sm text-gray-600">
                {tr(KIND_LABELS[o.kind][0], KIND_LABELS[o.kind][1])} · {o.placeName} · {tr(ROLE_LABELS[o.role][0], ROLE_LABELS[o.role][1])}
                {o.isApprover ? ` · ${tr('审批人', 'approver')}` : ''} · {tr(`${o.members} 名成员`, `${o.members} members`)}
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
