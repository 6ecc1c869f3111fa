import { getFormProps, useForm } from '@conform-to/react';
import { readFormData } from '~/modules/http/http.server';
import { parseWithZod } from '@conform-to/zod';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { retryAfterHeaders } from '~/modules/http/headers';
import { Form, useActionData, useNavigation, useSearchParams } from '@remix-run/react';
import { Link } from '~/components/link';
import { Field } from '~/components/field';
import { verifyLogin } from '~/modules/accounts/accounts.server';
import { loginSchema } from '~/modules/accounts/schemas';
import { clientIp, hitRateLimit, releaseRateLimit } from '~/modules/accounts/rate-limit.server';
import { mergeCartOnLogin } from '~/modules/cart/cart.server';
import { createSession, getUser, safeRedirect } from '~/modules/accounts/session.server';
import { translate, useT } from '~/modules/i18n/i18n';
import { getLocale } from '~/modules/i18n/locale.server';
import { fieldChecks } from '~/modules/forms/validation';

export const meta: MetaFunction = () => [{ title: '登录 · 山海集' }, { name: 'robots', content: 'noindex' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  if (user) throw redirect(safeRedirect(new URL(request.url).searchParams.get('redirectTo'), '/account'));
  return null;
}

// A 429 from the action keeps its Retry-After on the rendered page.
export const headers = retryAfterHeaders;

export async function action({ request }: ActionFunctionArgs) {
  const formData = await readFormData(request);
  const locale = await getLocale(request);
  const submission = parseWithZod(formData, { schema: loginSchema });
  if (submission.status !== 'success') return json(submission.reply({ hideFields: ['password'] }), { status: 400 });
  const { email, password, redirectTo } = submission.value;
  // Per IP and per account, shared across instances (Postgres). Every attempt is counted first; a
  // successful one is given back below, so only failed and refused attempts use up the limits.
  const keys = [`login:ip:${clientIp(request)}`, `login:email:${email}`] as const;
  const [byIp, byEmail] = await Promise.all([hitRateLimit(keys[0], 30, 600), hitRateLimit(keys[1], 10, 600)]);
  if (!byIp.allowed || !byEmail.allowed) {
    return json(submission.reply({ formErrors: [translate(locale, 'auth.tooMany')], hideFields: ['password'] }), {
      status: 429,
      headers: { 'Retry-After': String(Math.max(byIp.retryAfter, byEmail.retryAfter)) },
    });
  }
  const user = await verifyLogin(email, password);
  if (!user) return json(submission.reply({ formErrors: [translate(locale, 'auth.invalid')], hideFields: ['password'] }), { status: 400 });
  await Promise.all(keys.map(releaseRateLimit));
  const cookie = await createSession(user.id, request);
  // the visitor's cart joins the account's cart
  const clearCart = await mergeCartOnLogin(request, user.id);
  const headers = new Headers({ 'Set-Cookie': cookie });
  if (clearCart) headers.append('Set-Cookie', clearCart);
  return redirect(safeRedirect(redirectTo, '/account'), { headers });
}

export default function Login() {
  const lastResult = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const t = useT();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: 'login',
    lastResult,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: loginSchema }),
    ...fieldChecks,
    defaultValue: { redirectTo: searchParams.get('redirectTo') ?? '' },
  });
  return (
    <section className="mx-auto max-w-sm rounded-xl bg-white p-6 shadow-sm">
      <h1 className="mb-4 text-xl font-bold">{t('auth.login')}</h1>
      <Form method="post" {...getFormProps(form)} className="space-y-4">
        {form.errors?.length ? <p id={form.errorId} role="alert" className="rounded bg-red-50 p-2 text-sm text-red-700">{form.errors.join('；')}</p> : null}
        <Field meta={fields.email} label={t('auth.email')} type="email" autoComplete="email" />
        <Field meta={fields.password} label={t('auth.password')} type="password" autoComplete="current-password" />
        <input type="hidden" name="redirectTo" value={searchParams.get('redirectTo') ?? ''} />
        <button type="submit" disabled={navigation.state === 'submitting'} className="w-full rounded bg-brand-600 py-2 font-medium text-white hover:bg-brand-700 disabled:opacity-60">
          {t('auth.login')}
        </button>
      </Form>
      <p className="mt-4 text-sm text-gray-600">
        {t('auth.noAccount')} <Link to={searchParams.get('redirectTo') ? `/signup?redirectTo=${encodeURIComponent(searchParams.get('redirectTo')!)}` : '/signup'} className="text-brand-700 underline">{t('nav.signup')}</Link>
      </p>
    </section>
  );
}
