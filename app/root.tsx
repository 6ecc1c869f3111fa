import { cartCount } from '~/modules/cart/cart.server';
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, isRouteErrorResponse, Links, LiveReload, Meta, Outlet, Scripts, ScrollRestoration, useLocation, useRouteError, useRouteLoaderData } from '@remix-run/react';
import { Link } from '~/components/link';
import { useEffect, type ReactNode } from 'react';
import stylesheet from '~/tailwind.css';
import { SearchBox } from '~/components/search-box';
import { getUser, userCan } from '~/modules/accounts/session.server';
import { DEFAULT_LOCALE, translate, useLocale, useT, type Locale } from '~/modules/i18n/i18n';
import { getLocale } from '~/modules/i18n/locale.server';
import { useNonce } from '~/modules/security/nonce';

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: stylesheet },
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const [locale, user, cartItems] = await Promise.all([getLocale(request), getUser(request).catch(() => null), cartCount(request).catch(() => 0)]);
  return json({
    locale,
    cartItems,
    user: user ? { name: user.name, email: user.email, roles: user.roles.map((r) => r.name), console: userCan(user, 'read:console:own'), finance: userCan(user, 'confirm:payment:any'), orgs: user.memberships.length > 0 } : null,
  });
}

export type RootData = Awaited<ReturnType<typeof loader>> extends Response ? { locale: Locale; cartItems: number; user: { name: string; email: string; roles: string[]; console: boolean; finance: boolean; orgs: boolean } | null } : never;

function Header() {
  const t = useT();
  const locale = useLocale();
  const data = useRouteLoaderData('root') as RootData | undefined;
  const location = useLocation();
  const here = location.pathname + location.search;
  return (
    <header className="border-b border-brand-100 bg-white">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3">
        <Link to="/" className="flex items-baseline gap-2 text-brand-700">
          <span className="text-xl font-bold">{t('site.name')}</span>
          <span className="hidden text-xs text-gray-500 sm:inline">{t('site.tagline')}</span>
        </Link>
        <nav aria-label={locale === 'en' ? 'Main' : '主导航'} className="order-3 flex w-full gap-4 text-sm sm:order-none sm:w-auto">
          <Link to="/#places" className="hover:text-brand-600">{t('nav.places')}</Link>
          <Link to="/#pairings" className="hover:text-brand-600">{t('nav.pairings')}</Link>
          <Link to="/#categories" className="hover:text-brand-600">{t('nav.categories')}</Link>
        </nav>
        <SearchBox />
        <div className="ml-auto flex items-center gap-3 text-sm">
          {/* a whole-document POST (the new language re-renders everything): a plain form, as Form reloadDocument renders */}
          <form method="post" action="/lang">
            <input type="hidden" name="redirectTo" value={here} />
            <input type="hidden" name="locale" value={locale === 'en' ? 'zh-CN' : 'en'} />
            <button type="submit" className="rounded border border-gray-300 px-2 py-1" lang={locale === 'en' ? 'zh-CN' : 'en'}>
              {t('nav.switchLanguage')}
            </button>
          </form>
          <Link to="/cart" className="hover:text-brand-600" data-testid="cart-link">
            {locale === 'en' ? 'Cart' : '购物车'}{data?.cartItems ? <span className="ml-1 rounded-full bg-brand-600 px-1.5 text-xs text-white" aria-label={locale === 'en' ? `${data.cartItems} items` : `${data.cartItems} 件`}>{data.cartItems}</span> : null}
          </Link>
          {data?.user ? (
            <>
              <Link to="/orders" className="hover:text-brand-600">{locale === 'en' ? 'Orders' : '订单'}</Link>
              {data.user.roles.includes('seller_staff') ? <Link to="/seller" className="hover:text-brand-600">{locale === 'en' ? 'Seller centre' : '商家中心'}</Link> : null}
              {data.user.roles.includes('admin') ? <Link to="/admin/listings" className="hover:text-brand-600">{locale === 'en' ? 'Review' : '审核'}</Link> : null}
              {data.user.orgs ? <Link to="/org" className="hover:text-brand-600">{locale === 'en' ? 'My organisations' : '我的单位'}</Link> : null}
              {data.user.console ? <Link to="/console" className="hover:text-brand-600">{t('nav.console')}</Link> : null}
              {data.user.finance ? <Link to="/finance/transfers" className="hover:text-brand-600">{t('nav.finance')}</Link> : null}
              <Link to="/account" className="hover:text-brand-600">{t('nav.account')}</Link>
              <Form method="post" action="/logout">
                <button type="submit" className="text-gray-600 hover:text-brand-600">{t('nav.logout')}</button>
              </Form>
            </>
          ) : (
            <>
              <Link to={`/login?redirectTo=${encodeURIComponent(here)}`} className="hover:text-brand-600">{t('nav.login')}</Link>
              <Link to="/signup" className="rounded bg-brand-600 px-3 py-1 text-white hover:bg-brand-700">{t('nav.signup')}</Link>
            </>
          )}
        </div>
      </div>
    </header>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData('root') as RootData | undefined;
  const locale = data?.locale ?? DEFAULT_LOCALE;
  const nonce = useNonce();
  useEffect(() => {
    // Lets browser tests (and CSS) know the page is interactive.
    document.documentElement.dataset.hydrated = 'true';
  }, []);
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body className="min-h-screen bg-gray-50 text-gray-900 antialiased">
        <a href="#main" className="sr-only focus:not-sr-only">{translate(locale, 'nav.skip')}</a>
        <Header />
        <main id="main" className="mx-auto max-w-6xl px-4 py-6">{children}</main>
        <footer className="mt-12 border-t border-gray-200 py-6 text-center text-xs text-gray-500">
          {translate(locale, 'site.name')} · {translate(locale, 'site.tagline')}
        </footer>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
        <LiveReload nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

type ErrorKey = Parameters<typeof translate>[1];
/** Heading and message of an error answer by its status (a 400's or 403's own message is shown). */
function errorText(error: unknown): { status: number; title: ErrorKey; body: { key: ErrorKey } | { text: string } } {
  if (!isRouteErrorResponse(error)) return { status: 500, title: 'error.server', body: { key: 'error.serverBody' } };
  const own = typeof error.data === 'string' ? { text: error.data } : { key: 'error.serverBody' as const };
  switch (error.status) {
    case 404: return { status: 404, title: 'error.notFound', body: { key: 'error.notFoundBody' } };
    case 400: return { status: 400, title: 'error.badRequest', body: own };
    case 403: return { status: 403, title: 'error.forbidden', body: own };
    case 503: return { status: 503, title: 'error.unavailable', body: { key: 'error.unavailableBody' } };
    default: return { status: error.status, title: 'error.server', body: { key: 'error.serverBody' } };
  }
}

/** Only error pages take their title from here (every page has its own); a tab or history entry says what went wrong. */
export const meta: MetaFunction<typeof loader> = ({ data, error }) => {
  if (!error) return [];
  const locale = (data as RootData | undefined)?.locale ?? DEFAULT_LOCALE;
  return [{ title: `${translate(locale, errorText(error).title)} · 山海集` }, { name: 'robots', content: 'noindex' }];
};

export function ErrorBoundary() {
  const error = useRouteError();
  const locale = useLocale();
  const t = (k: ErrorKey) => translate(locale, k);
  const text = errorText(error);
  const { status } = text;
  const title = t(text.title);
  const body = 'key' in text.body ? t(text.body.key) : text.body.text;
  return (
    <section className="mx-auto max-w-lg py-16 text-center" aria-labelledby="error-title">
      <p className="text-5xl font-bold text-brand-600">{status}</p>
      <h1 id="error-title" className="mt-4 text-2xl font-semibold">{title}</h1>
      <p className="mt-2 text-gray-600">{body}</p>
      <Link to="/" className="mt-6 inline-block rounded bg-brand-600 px-4 py-2 text-white">{t('error.backHome')}</Link>
    </section>
  );
}
