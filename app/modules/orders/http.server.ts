// Small route helpers for the order pages.
import { safeRedirect } from '~/modules/accounts/session.server';
import { badRequest } from '~/modules/http/http.server';

export { readFormData } from '~/modules/http/http.server';

export function safeRedirectPath(to: FormDataEntryValue | null, fallback: string) {
  return safeRedirect(typeof to === 'string' ? to : null, fallback);
}

/** A positive integer route parameter, else 400. */
export function intParam(value: string | undefined, name = 'id'): number {
  if (!value || !/^[1-9][0-9]{0,8}$/.test(value)) badRequest(`${name} must be a positive whole number`);
  return Number(value);
}
