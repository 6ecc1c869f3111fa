import type { ActionFunctionArgs } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { safeRedirect } from '~/modules/accounts/session.server';
import { badRequest, readFormData } from '~/modules/http/http.server';
import { isLocale } from '~/modules/i18n/i18n';
import { localeCookie } from '~/modules/i18n/locale.server';

/** The language switch: sets the cookie and goes back to the same page. */
export async function action({ request }: ActionFunctionArgs) {
  const form = await readFormData(request);
  const locale = form.get('locale');
  if (!isLocale(locale)) badRequest('locale must be zh-CN or en');
  return redirect(safeRedirect(form.get('redirectTo')), { headers: { 'Set-Cookie': await localeCookie.serialize(locale) } });
}

export async function loader() {
  return redirect('/');
}
