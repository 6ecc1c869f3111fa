// Fixtures for the organisation tests: a fresh organisation with an admin and members.
import { prisma } from '~/modules/db/db.server';
import { actorFor, freshUser, uniq } from '../../../tests/helpers/actors';

export async function freshOrganisation(kind: 'UNION' | 'BUDGET_UNIT' | 'ENTERPRISE' = 'UNION', members = 0) {
  const org = await prisma.organisation.create({ data: { name: `测试单位${uniq()}`, kind, placeCode: '442000', invoiceTitle: '' } });
  const adminUser = await freshUser(['consumer', 'org_buyer', 'org_admin']);
  await prisma.membership.create({ data: { userId: adminUser.id, organisationId: org.id, role: 'ADMIN' } });
  const memberUsers = [];
  for (let i = 0; i < members; i++) {
    const u = await freshUser(['consumer']);
    await prisma.membership.create({ data: { userId: u.id, organisationId: org.id, role: 'MEMBER' } });
    memberUsers.push(u);
  }
  return { org, adminUser, admin: await actorFor(adminUser.email), members: memberUsers };
}
