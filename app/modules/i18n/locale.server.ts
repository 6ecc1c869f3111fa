import { createCookie } from '@remix-run/node';
import { DEFAULT_LOCALE, isLocale, type Locale } from './i18n';

export const localeCookie = createCookie('lng', { path: '/', sameSite: 'lax', maxAge: 365 * 24 * 3600, httpOnly: false });

export async function getLocale(request: Request): Promise<Locale> {
  const fromCookie = await localeCookie.parse(request.headers.get('cookie'));
  if (isLocale(fromCookie)) return fromCookie;
  return DEFAULT_LOCALE; // zh-CN first: no Accept-Language guessing, the switch is visible on every page
}
