// Authorisation matrix: every loader and action of the seller portal, its admin pages and its public
// pages, called directly with a Request carrying a real session cookie of each demo role (or none).
// A call is "allow" when the check lets it through (200, a validation 400, a redirect elsewhere),
// "deny" on 403 and "login" on the redirect to /login.
import { beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '~/modules/db/db.server';
import { LoggingMailer } from '~/modules/mail/mailer.server';
import { applyToSell } from '~/modules/sellers/applications.server';
import { createBatch } from '~/modules/sellers/batches.server';
import { submitCertificate } from '~/modules/sellers/certificates.server';
import { createListing } from '~/modules/sellers/listings.server';
import { inviteStaff } from '~/modules/sellers/staff.server';
import { checkImage, DOCUMENT_IMAGE_RULES, PRODUCT_IMAGE_RULES } from '~/modules/storage/images.server';
import * as adminListingDetail from '~/routes/admin.listings.$id';
import * as adminListings from '~/routes/admin.listings._index';
import * as adminSellers from '~/routes/admin.sellers._index';
import * as privateCertificate from '~/routes/private.certificates.$id';
import * as privateLicence from '~/routes/private.licences.$id';
import * as sellerLayout from '~/routes/seller';
import * as sellerDashboard from '~/routes/seller._index';
import * as sellerApply from '~/routes/seller.apply';
import * as productBatches from '~/routes/seller.products.$id.batches';
import * as productCertificate from '~/routes/seller.products.$id.certificate';
import * as productEdit from '~/routes/seller.products.$id._index';
import * as productStock from '~/routes/seller.products.$id.stock';
import * as productNew from '~/routes/seller.products.new';
import * as sellerStaff from '~/routes/seller.staff';
import * as invitation from '~/routes/seller_.invitations.$token';
import * as adminReviews from '~/routes/admin.reviews';
import * as sellerReviews from '~/routes/seller.reviews';
import * as sellerSales from '~/routes/seller.sales';
import * as packingList from '~/routes/seller_.fulfilments.$id.packing-list';
import { placeOrder } from '~/modules/orders/orders.server';
import { recordBankReceipt } from '~/modules/payments/payments.server';
import { ADDRESS, listedProduct, userByEmail } from './helpers/orders';
import * as trace from '~/routes/trace.$batch';
import * as traceQr from '~/routes/trace.$batch_.qr[.]svg';
import { actorFor, creditCodeFor, freshUser, imageBytes } from './helpers/actors';
import { runRouteAs, type RouteFn } from './helpers/routes';

const ROLES = {
  anonymous: null,
  consumer: 'consumer@demo.shanhai.cn',
  union: 'union@demo.shanhai.cn',
  agency: 'agency@demo.shanhai.cn',
  'coop-panzhou': 'coop-panzhou@demo.shanhai.cn',
  'coop-dushan': 'coop-dushan@demo.shanhai.cn',
  'official-zs-lps': 'official-zs-lps@demo.shanhai.cn',
  admin: 'admin@demo.shanhai.cn',
} as const;
type Role = keyof typeof ROLES;
type Outcome = 'allow' | 'deny' | 'login';
const roles = Object.keys(ROLES) as Role[];

/** Expected outcome per role: `allowed` roles pass, other signed-in roles get 403, anonymous goes to login. */
const only = (...allowed: Role[]) => (r: Role): Outcome => (allowed.includes(r) ? 'allow' : r === 'anonymous' ? 'login' : 'deny');
const signedIn = (r: Role): Outcome => (r === 'anonymous' ? 'login' : 'allow');
const everyone = (): Outcome => 'allow';

type Fn = RouteFn;

async function outcome(fn: Fn, role: Role, url: string, params: Record<string, string>, body?: Record<string, string>): Promise<Outcome | string> {
  const result = await runRouteAs(fn, ROLES[role], url, params, body);
  if (!(result instanceof Response)) {
    if (result instanceof Error) throw result;
    return 'allow';
  }
  if (result.status === 302 && result.headers.get('location')?.startsWith('/login')) return 'login';
  if (result.status === 403) return 'deny';
  if (result.status === 404 || result.status >= 500) return `status ${result.status}: ${await result.text()}`;
  return 'allow';
}

const ids = { product: 0, certificate: 0, application: 0, batch: '', token: '', fulfilment: 0 };

beforeAll(async () => {
  const coop = await actorFor(ROLES['coop-panzhou']);
  const seller = await prisma.seller.findUniqueOrThrow({ where: { slug: 'panzhou-jiaxi-cili-coop' } });
  const category = await prisma.category.findFirstOrThrow({ where: { slug: 'juice' } });
  const photo = await checkImage({ filename: 'a.png', bytes: await imageBytes(800, 600), size: 1 }, PRODUCT_IMAGE_RULES);
  const scan = await checkImage({ filename: 'c.png', bytes: await imageBytes(800, 600), size: 1 }, DOCUMENT_IMAGE_RULES);
  if (!photo.ok || !scan.ok) throw new Error('test images');
  const listing = await createListing(coop, seller.id, {
    nameZh: '权限矩阵测试刺梨汁', categoryId: category.id, statisticsKind: 'AGRI_LIVESTOCK', originCode: '520281',
    variants: [{ nameZh: '250ml', price: 990, stock: 5, unit: '瓶', weightGrams: 300 }],
  }, [photo]);
  if (!listing.ok) throw new Error(listing.message);
  ids.product = listing.productId;
  const cert = await submitCertificate(coop, listing.productId, { number: 'AUTHZ-1', issuer: '贵州省农业农村厅', validUntil: new Date('2099-01-01') }, scan);
  if (!cert.ok) throw new Error(cert.message);
  ids.certificate = cert.certificateId;
  ids.batch = (await createBatch(coop, listing.productId, { dateKind: 'HARVESTED', producedOn: new Date('2026-08-20'), baseName: '贾西村基地' }, null)).code;
  const applicant = await freshUser();
  const app = await applyToSell(applicant.id, { name: '权限测试合作社', kind: 'COOPERATIVE', creditCode: creditCodeFor('520281'), countyCode: '520281', contactName: '李四', contactPhone: '13700000000' }, scan);
  if (!app.ok) throw new Error(app.message);
  ids.application = app.applicationId;
  const invite = await inviteStaff(coop, seller.id, 'not-yet-registered@test.shanhai.cn', { baseUrl: 'http://x', mailer: new LoggingMailer(() => {}) });
  if (!invite.ok) throw new Error(invite.message);
  ids.token = invite.link.split('/').pop()!;
  // a paid order of a 盘州 product, for its packing list
  const goods = await listedProduct({ sellerId: seller.id });
  const buyer = await userByEmail(ROLES.consumer);
  const order = await placeOrder(buyer, { ...ADDRESS, lines: [{ variantId: goods.variantId, quantity: 1 }], provider: 'BANK_TRANSFER' });
  await recordBankReceipt((await userByEmail(ROLES.admin)).id, { reference: order.reference, amountFen: order.totalFen, receivedOn: new Date(), bankReference: `AUTHZ-${order.reference}` });
  ids.fulfilment = (await prisma.fulfilment.findFirstOrThrow({ where: { orderId: order.id } })).id;
});

type Case = { name: string; fn: Fn; url: () => string; params: () => Record<string, string>; body?: Record<string, string>; expected: (r: Role) => Outcome };

const sellerRoles = only('coop-panzhou', 'coop-dushan');
const panzhouProduct = only('coop-panzhou', 'admin');
const p = () => ({ id: String(ids.product) });

// Actions get input that passes the permission checks but fails validation, so allowed calls change nothing.
const cases: Case[] = [
  { name: 'seller layout loader', fn: sellerLayout.loader as Fn, url: () => '/seller', params: () => ({}), expected: signedIn },
  { name: 'dashboard loader', fn: sellerDashboard.loader as Fn, url: () => '/seller', params: () => ({}), expected: signedIn },
  { name: 'dashboard action', fn: sellerDashboard.action as Fn, url: () => '/seller', params: () => ({}), body: { _action: 'nothing' }, expected: signedIn },
  { name: 'apply loader', fn: sellerApply.loader as Fn, url: () => '/seller/apply', params: () => ({}), expected: signedIn },
  { name: 'apply action', fn: sellerApply.action as Fn, url: () => '/seller/apply', params: () => ({}), body: { name: '' }, expected: signedIn },
  { name: 'new listing loader', fn: productNew.loader as Fn, url: () => '/seller/products/new', params: () => ({}), expected: sellerRoles },
  { name: 'new listing action', fn: productNew.action as Fn, url: () => '/seller/products/new', params: () => ({}), body: { nameZh: '' }, expected: sellerRoles },
  { name: 'edit listing loader (盘州 product)', fn: productEdit.loader as Fn, url: () => `/seller/products/${ids.product}`, params: p, expected: panzhouProduct },
  { name: 'edit listing action (盘州 product)', fn: productEdit.action as Fn, url: () => `/seller/products/${ids.product}`, params: p, body: { _action: 'save', nameZh: '' }, expected: panzhouProduct },
  { name: 'certificate loader', fn: productCertificate.loader as Fn, url: () => `/seller/products/${ids.product}/certificate`, params: p, expected: panzhouProduct },
  { name: 'certificate action', fn: productCertificate.action as Fn, url: () => `/seller/products/${ids.product}/certificate`, params: p, body: { number: '' }, expected: panzhouProduct },
  { name: 'stock loader', fn: productStock.loader as Fn, url: () => `/seller/products/${ids.product}/stock`, params: p, expected: panzhouProduct },
  { name: 'stock action', fn: productStock.action as Fn, url: () => `/seller/products/${ids.product}/stock`, params: p, body: { delta: 'x' }, expected: panzhouProduct },
  { name: 'batches loader', fn: productBatches.loader as Fn, url: () => `/seller/products/${ids.product}/batches`, params: p, expected: panzhouProduct },
  { name: 'batches action', fn: productBatches.action as Fn, url: () => `/seller/products/${ids.product}/batches`, params: p, body: { baseName: '' }, expected: panzhouProduct },
  { name: 'staff loader', fn: sellerStaff.loader as Fn, url: () => '/seller/staff', params: () => ({}), expected: sellerRoles },
  { name: 'staff action', fn: sellerStaff.action as Fn, url: () => '/seller/staff', params: () => ({}), body: { _action: 'invite', email: 'not-an-email' }, expected: sellerRoles },
  { name: 'invitation loader', fn: invitation.loader as Fn, url: () => `/seller/invitations/${ids.token}`, params: () => ({ token: ids.token }), expected: everyone },
  { name: 'invitation action (not the invited email)', fn: invitation.action as Fn, url: () => `/seller/invitations/${ids.token}`, params: () => ({ token: ids.token }), body: {}, expected: signedIn },
  { name: 'admin sellers loader', fn: adminSellers.loader as Fn, url: () => '/admin/sellers', params: () => ({}), expected: only('admin') },
  { name: 'admin sellers action', fn: adminSellers.action as Fn, url: () => '/admin/sellers', params: () => ({}), body: { id: String(ids.application) }, expected: only('admin') },
  { name: 'licence image', fn: privateLicence.loader as Fn, url: () => `/private/licences/${ids.application}`, params: () => ({ id: String(ids.application) }), expected: only('admin') },
  { name: 'certificate image', fn: privateCertificate.loader as Fn, url: () => `/private/certificates/${ids.certificate}`, params: () => ({ id: String(ids.certificate) }), expected: panzhouProduct },
  { name: 'review queue loader', fn: adminListings.loader as Fn, url: () => '/admin/listings', params: () => ({}), expected: only('admin') },
  { name: 'overpriced loader', fn: adminListings.loader as Fn, url: () => '/admin/listings?flag=overpriced', params: () => ({}), expected: only('admin') },
  { name: 'review detail loader', fn: adminListingDetail.loader as Fn, url: () => `/admin/listings/${ids.product}`, params: p, expected: only('admin') },
  { name: 'review detail action', fn: adminListingDetail.action as Fn, url: () => `/admin/listings/${ids.product}`, params: p, body: { subject: 'listing', id: String(ids.product) }, expected: only('admin') },
  { name: 'seller reviews loader', fn: sellerReviews.loader as Fn, url: () => '/seller/reviews', params: () => ({}), expected: only('coop-panzhou', 'coop-dushan', 'admin') },
  { name: 'seller reviews action (invalid reply)', fn: sellerReviews.action as Fn, url: () => '/seller/reviews', params: () => ({}), body: { reviewId: 'x', reply: '' }, expected: only('coop-panzhou', 'coop-dushan', 'admin') },
  { name: 'seller sales loader', fn: sellerSales.loader as Fn, url: () => '/seller/sales', params: () => ({}), expected: sellerRoles },
  { name: 'packing list (盘州 parcel)', fn: packingList.loader as Fn, url: () => `/seller/fulfilments/${ids.fulfilment}/packing-list`, params: () => ({ id: String(ids.fulfilment) }), expected: only('coop-panzhou', 'admin') },
  { name: 'admin reviews loader', fn: adminReviews.loader as Fn, url: () => '/admin/reviews', params: () => ({}), expected: only('admin') },
  { name: 'admin reviews action (no reason)', fn: adminReviews.action as Fn, url: () => '/admin/reviews', params: () => ({}), body: { intent: 'hide', reviewId: '1', reason: '' }, expected: only('admin') },
  { name: 'trace page', fn: trace.loader as Fn, url: () => `/trace/${ids.batch}`, params: () => ({ batch: ids.batch }), expected: everyone },
  { name: 'trace QR code', fn: traceQr.loader as Fn, url: () => `/trace/${ids.batch}/qr.svg`, params: () => ({ batch: ids.batch }), expected: everyone },
];

describe('seller portal authorisation matrix', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const got = Object.fromEntries(await Promise.all(roles.map(async (role) => [role, await outcome(c.fn, role, c.url(), c.params(), c.body)] as const)));
    const want = Object.fromEntries(roles.map((role) => [role, c.expected(role)]));
    expect(got).toEqual(want);
  });

  it('nothing changed: the denied and invalid calls left the 盘州 product and the invitation as they were', async () => {
    const product = await prisma.product.findUniqueOrThrow({ where: { id: ids.product }, include: { variants: true } });
    expect(product).toMatchObject({ nameZh: '权限矩阵测试刺梨汁', status: 'DRAFT' });
    expect(product.variants[0]!.stock).toBe(5);
    expect(await prisma.sellerInvitation.count({ where: { email: 'not-yet-registered@test.shanhai.cn', acceptedAt: { not: null } } })).toBe(0);
    expect(await prisma.sellerApplication.findUniqueOrThrow({ where: { id: ids.application } })).toMatchObject({ status: 'PENDING' });
  });
});
