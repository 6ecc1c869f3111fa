import { getFormProps, useForm } from '@conform-to/react';
import { readFormData } from '~/modules/http/http.server';
import { parseWithZod } from '@conform-to/zod';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { retryAfterHeaders } from '~/modules/http/headers';
import { Form, useActionData, useNavigation, useSearchParams } from '@remix-run/react';
import { Link } from '~/components/link';
import { Field } from '~/components/field';
import { createUser, EmailTakenError } from '~/modules/accounts/accounts.server';
import { signupSchema } from '~/modules/accounts/schemas';
import { clientIp, hitRateLimit } from '~/modules/accounts/rate-limit.server';
import { mergeCartOnLogin } from '~/modules/cart/cart.server';
import { createSession, getUser, safeRedirect } from '~/modules/accounts/session.server';
import { translate, useT } from '~/modules/i18n/i18n';
import { getLocale } from '~/modules/i18n/locale.server';
import { fieldChecks } from '~/modules/forms/validation';

export const meta: MetaFunction = () => [{ title: '注册 · 山海集' }, { name: 'robots', content: 'noindex' }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getUser(request)) throw redirect('/account');
  return null;
}

// A 429 from the action keeps its Retry-After on the rendered page.
export const headers = retryAfterHeaders;

export async function action({ request }: ActionFunctionArgs) {
  const formData = await readFormData(request);
  const locale = await getLocale(request);
  const submission = parseWithZod(formData, { schema: signupSchema });
  if (submission.status !== 'success') return json(submission.reply({ hideFields: ['password', 'confirmPassword'] }), { status: 400 });
  const limit = await hitRateLimit(`signup:ip:${clientIp(request)}`, 10, 3600);
  if (!limit.allowed) {
    return json(submission.reply({ formErrors: [translate(locale, 'auth.tooMany')], hideFields: ['password', 'confirmPassword'] }), { status: 429, headers: { 'Retry-After': String(limit.retryAfter) } });
  }
  try {
    const user = await createUser({ email: submission.value.email, name: submission.value.name, password: submission.value.password });
    const cookie = await createSession(user.id, request);
    // the visitor's cart joins the account's cart
    const clearCart = await mergeCartOnLogin(request, user.id);
    const headers = new Headers({ 'Set-Cookie': cookie });
    if (clearCart) headers.append('Set-Cookie', clearCart);
    return redirect(safeRedirect(submission.value.redirectTo, '/account'), { headers });
  } catch (error) {
    if (error instanceof EmailTakenError) {
      return json(submission.reply({ fieldErrors: { email: [translate(locale, 'auth.emailTaken')] }, hideFields: ['password', 'confirmPassword'] }), { status: 400 });
    }
    throw error;
  }
}

export default function Signup() {
  const lastResult = useActionData<typeof action>();
  const t = useT();
  const navigation = useNavigation();
  const [searchParams] = useSearchParams();
  const redirectTo = searchParams.get('redirectTo') ?? '';
  const [form, fields] = useForm({ id: 'signup', lastResult, onValidate: ({ formData }) => parseWithZod(formData, { schema: signupSchema }), ...fieldChecks });
  return (
    <section className="mx-auto max-w-sm rounded-xl bg-white p-6 shadow-sm">
      <h1 className="mb-4 text-xl font-bold">{t('auth.signup')}</h1>
      <Form method="post" {...getFormProps(form)} className="space-y-4">
        {form.errors?.length ? <p role="alert" className="rounded bg-red-50 p-2 text-sm text-red-700">{form.errors.join('；')}</p> : null}
        <Field meta={fields.email} label={t('auth.email')} type="email" autoComplete="email" />
        <Field meta={fields.name} label={t('auth.name')} autoComplete="name" />
        <Field meta={fields.password} label={t('auth.password')} type="password" autoComplete="new-password" />
        <Field meta={fields.confirmPassword} label={t('auth.confirmPassword')} type="password" autoComplete="new-password" />
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <button type="submit" disabled={navigation.state === 'submitting'} className="w-full rounded bg-brand-600 py-2 font-medium text-white hover:bg-brand-700 disabled:opacity-60">
          {t('auth.signup')}
        </button>
      </Form>
      <p className="mt-4 text-sm text-gray-600">
        {t('auth.haveAccount')} <Link to={redirectTo ? `/login?redirectTo=${encodeURIComponent(redirectTo)}` : '/login'} className="text-brand-700 underline">{t('nav.login')}</Link>
      </p>
    </section>
  );
}
