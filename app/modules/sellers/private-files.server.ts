// Private documents (licences, certificate pictures) are never under a public URL: these routes stream
// them after the permission check.
import { requirePermission, requireUser } from '~/modules/accounts/session.server';
import { forbidden, notFound } from '~/modules/http/http.server';
import { isPrivateKey, storage } from '~/modules/storage/storage.server';
import { canManageSellerProducts, canReviewOrigin } from './access.server';
import { applicationLicenceKey } from './applications.server';
import { certificateForImage } from './certificates.server';

async function stream(key: string | null | undefined) {
  if (!key || !isPrivateKey(key)) notFound();
  const body = await storage().get(key);
  if (!body) notFound();
  return new Response(new Uint8Array(body), {
    headers: {
      'Content-Type': 'image/webp',
      'Cache-Control': 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'",
      'Content-Disposition': 'inline',
    },
  });
}

/** Business licence of an application: platform admins only. */
export async function licenceResponse(request: Request, applicationId: number) {
  await requirePermission(request, 'update:seller:any');
  return stream(await applicationLicenceKey(applicationId));
}

/** Certificate picture: the product's seller staff (or `read:product:any`), and reviewers of its origin. */
export async function certificateImageResponse(request: Request, certificateId: number) {
  const user = await requireUser(request);
  const cert = await certificateForImage(certificateId);
  if (!cert) notFound();
  const allowed = canManageSellerProducts(user, cert.product.sellerId, 'read') || (await canReviewOrigin(user, cert.product.originCode));
  if (!allowed) forbidden();
  return stream(cert.imageKey);
}
