// Gift distribution (礼品分发): the cart is one gift pack; the uploaded CSV/XLSX lists the recipients
// (name, mobile, address, quantity = packs per person). "Check" validates every row; "place" validates
// and, when no row is bad, places ONE organisation order with a parcel per recipient × seller, paid by
// bank transfer. A list with any bad row creates nothing; its errors are shown by the upload field.
// One form (Conform + giftListSchema): the typed details survive a refused submission.
import { getFormProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import type { z } from 'zod';
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import crypto from 'node:crypto';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { Field, FormErrors } from '~/components/field';
import type { FormShape } from '~/modules/forms/fields';
import { Link } from '~/components/link';
import { buttonClass, cardClass, secondaryButtonClass } from '~/components/status';
import { cartView, resolveCart } from '~/modules/cart/cart.server';
import { badRequest, forbidden, readFormData } from '~/modules/http/http.server';
import { readMultipartForm } from '~/modules/http/multipart.server';
import { pick, useLocale, useTr } from '~/modules/i18n/i18n';
import { formatFen } from '~/modules/money/money';
import { OrderError } from '~/modules/orders/orders.server';
import { describeGiftError } from '~/modules/organisations/gift-list';
import { GIFT_COLUMNS, GIFT_LIST_MAX_BYTES, parseGiftList, type GiftListResult } from '~/modules/organisations/gift-list.server';
import { placeGiftOrderFromCart } from '~/modules/organisations/gift-orders.server';
import { organisationDetails, requireOrgMember } from '~/modules/organisations/organisations.server';
import { giftListSchema, giftListSchemaFor, giftPlaceSchema } from '~/modules/organisations/schemas';
import { CHECKOUT_LIMIT_PER_10_MIN, enforceRateLimit } from '~/modules/security/rate-limit.server';
import { refusal } from '~/modules/forms/refusal';
import { fieldChecks } from '~/modules/forms/validation';

async function requireGiftAccess(request: Request, id: string | undefined) {
  const r = await requireOrgMember(request, id);
  if (!r.access.isAdmin && !r.access.canBuy) forbidden('只有单位管理员或采购员可以上传礼品名单 / Only the organisation’s admins and buyers can upload gift lists');
  return r;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { access, organisationId } = await requireGiftAccess(request, params.id);
  const [{ cartId }, org] = await Promise.all([resolveCart(request, false), organisationDetails(organisationId)]);
  const pack = await cartView(cartId);
  return json({
    columns: GIFT_COLUMNS.map((c) => ({ zh: c.zh, en: c.en })),
    canBuy: access.canBuy,
    pack: { lines: pack.groups.flatMap((g) => g.lines), totalFen: pack.totalFen, problems: pack.problems },
    org: { invoiceTitle: org.invoiceTitle, taxNumber: org.taxNumber },
    checkoutKey: crypto.randomBytes(18).toString('base64url'),
  }, { headers: { 'Cache-Control': 'private, no-store' } });
}

type ListBody =
  | { ok: true; encoding: string; totalQuantity: number; recipients: Array<{ rowNo: number; name: string; mobile: string; address: string; quantity: number }>; count: number }
  | { ok: false; fileError: string | null; rowErrors: Array<{ rowNo: number; errors: string[] }>; badRows: number; rows: number };

const listBody = (result: GiftListResult): ListBody => result.ok
  ? { ok: true, encoding: result.encoding, totalQuantity: result.totalQuantity, recipients: result.recipients.slice(0, 200), count: result.recipients.length }
  : { ok: false, fileError: result.fileError, rowErrors: result.rowErrors.slice(0, 500), badRows: result.rowErrors.length, rows: result.rows };

/** Order details a placement error can name; any other (the pack, the organisation) is the form's error. */
const DETAIL_FIELDS: string[] = Object.keys(giftPlaceSchema.shape);

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, access, organisationId } = await requireGiftAccess(request, params.id);
  if (!(request.headers.get('content-type') ?? '').startsWith('multipart/form-data')) {
    await readFormData(request);
    badRequest('请上传名单文件 / Upload a list file');
  }
  const { formData, files } = await readMultipartForm(request, { maxFileBytes: GIFT_LIST_MAX_BYTES, maxFiles: 1 });
  if (formData.get('intent') === 'place' && !access.canBuy) forbidden('只有单位采购员可以下单 / Only the organisation’s buyers can place orders');
  // the typed details come back with every answer (Conform's reply), so a refused submission loses nothing
  // but the chosen file, which browsers cannot fill in again
  const submission = parseWithZod(formData, { schema: giftListSchema });
  const file = files.find((f) => f.field === 'file');
  if (submission.status !== 'success' || !file) {
    return json({ reply: submission.reply({ fieldErrors: file ? {} : { file: ['请选择名单文件 / Choose the list file'] } }), result: null as ListBody | null }, { status: 400 });
  }
  const tooLarge: GiftListResult = { ok: false, format: null, encoding: null, fileError: 'file.tooLarge', rowErrors: [], rows: 0 };
  const value = submission.value;
  if (value.intent === 'place') {
    if (!file.bytes) return json({ reply: submission.reply(), result: listBody(tooLarge) }, { status: 400 });
    const { cartId } = await resolveCart(request, false);
    try {
      const r = await placeGiftOrderFromCart(user, cartId, {
        organisationId, file: { filename: file.filename, bytes: file.bytes },
        invoiceTitle: value.invoiceTitle, taxNumber: value.taxNumber, contactName: value.contactName, contactMobile: value.contactMobile, note: value.note,
        checkoutKey: value.checkoutKey,
        // like checkout, only a valid submission counts towards the buyer's checkout limit
        beforePlace: () => enforceRateLimit(`checkout:user:${user.id}`, CHECKOUT_LIMIT_PER_10_MIN, 600),
      });
      if (!r.ok) return json({ reply: submission.reply(), result: listBody(r.list) }, { status: 400 });
      return redirect(`/orders/${r.order.id}?placed=1`);
    } catch (error) {
      if (!(error instanceof OrderError)) throw error;
      const errors = refusal(error.message, error.field, DETAIL_FIELDS);
      return json({ reply: submission.reply(errors), result: null }, { status: error.status });
    }
  }
  const result = file.bytes ? await parseGiftList({ filename: file.filename, bytes: file.bytes }) : tooLarge;
  return json({ reply: submission.reply(), result: listBody(result) }, { status: result.ok ? 200 : 400 });
}

export default function GiftList() {
  const { pack, org, canBuy, checkoutKey } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const navigation = useNavigation();
  const tr = useTr();
  const locale = useLocale();
  const r = data?.result;
  const say = (code: string) => describeGiftError(code, locale === 'en' ? 'en' : 'zh-CN');
  const [form, fields] = useForm<FormShape<typeof giftPlaceSchema, 'file'>, z.output<ReturnType<typeof giftListSchemaFor>>>({
    id: 'gift-list',
    lastResult: data?.reply,
    defaultValue: { invoiceTitle: org.invoiceTitle, taxNumber: org.taxNumber },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: giftListSchemaFor(formData.get('intent')) }),
    ...fieldChecks,
  });
  const missing = fields.file.errors;
  const fileErrorId = r && !r.ok ? 'gift-file-errors' : missing?.length ? 'gift-file-missing' : undefined;
  const busy = navigation.state === 'submitting';
  return (
    <div className="space-y-4">
      <section className={`${cardClass} space-y-2`} aria-labelledby="gift-pack">
        <h2 id="gift-pack" className="font-semibold">{tr('礼包内容（每份）', 'The gift pack (per 份)')}</h2>
        {pack.lines.length === 0 ? (
          <p className="text-sm">{tr('购物车是空的。请先把每位收件人一份礼包的商品加入购物车，再上传名单。', 'The cart is empty. Put one gift pack in the cart first, then upload the list.')} <Link to="/" className="text-brand-700 underline">{tr('去选购', 'Browse goods')}</Link></p>
        ) : (
          <ul className="divide-y divide-gray-100 text-sm" data-testid="gift-pack">
            {pack.lines.map((l) => <li key={l.variantId} className="py-1">{pick(locale, l.productNameZh, l.productNameEn)} · {pick(locale, l.variantNameZh, l.variantNameEn)} × {l.quantity}</li>)}
          </ul>
        )}
        <p className="text-xs text-gray-600">{tr('名单中的“数量”是每位收件人的礼包份数。下单时按全部份数合计的数量适用商家的阶梯价。', 'The list’s quantity is the number of packs for each recipient. Quantity prices apply to the order’s total quantity.')}</p>
      </section>

      <section className={`${cardClass} space-y-3`} aria-labelledby="upload">
        <h2 id="upload" className="font-semibold">{tr('上传礼品分发名单', 'Upload a gift distribution list')}</h2>
        <p className="text-sm text-gray-600">
          {tr('CSV（UTF-8 或 GBK）或 XLSX，表头须含：姓名、手机号、地址、数量。每一行都会检查，有任何错误行时整份名单不会被采用，也不会创建订单。',
            'CSV (UTF-8 or GBK) or XLSX with the columns 姓名 (name), 手机号 (mobile), 地址 (address), 数量 (quantity). Every row is checked; a list with any bad row is not used and no order is created.')}
        </p>
        <Form method="post" encType="multipart/form-data" {...getFormProps(form)} className="space-y-3">
          <input type="hidden" name="checkoutKey" value={checkoutKey} />
          <FormErrors id={form.errorId} errors={[...(form.errors ?? []), ...(fields.intent.errors ?? []), ...(fields.checkoutKey.errors ?? [])]} />
          <div className="space-y-1">
            <label htmlFor="gift-file" className="block text-sm font-medium">{tr('名单文件', 'List file')}</label>
            <input id="gift-file" type="file" name={fields.file.name} accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required aria-invalid={fileErrorId ? true : undefined} aria-describedby={fileErrorId} />
            {missing?.length ? <p id="gift-file-missing" role="alert" className="text-sm text-red-700">{missing.join('；')}</p> : null}
            {r && !r.ok ? (
              <div id="gift-file-errors" role="alert" className="space-y-1 rounded border border-red-200 bg-red-50 p-2 text-sm" data-testid="gift-errors">
                <p className="font-medium text-red-700">{tr('名单未被采用，未创建任何订单', 'The list was not used; nothing was created')}</p>
                {r.fileError ? <p>{say(r.fileError)}</p> : (
                  <>
                    <p>{tr(`共 ${r.rows} 行，其中 ${r.badRows} 行有错误，请修改后重新上传：`, `${r.badRows} of ${r.rows} rows are bad; correct them and upload again:`)}</p>
                    <ul className="divide-y divide-red-100">
                      {r.rowErrors.map((e) => <li key={e.rowNo} className="py-1">{tr(`第 ${e.rowNo} 行`, `Row ${e.rowNo}`)}：{e.errors.map(say).join('；')}</li>)}
                    </ul>
                  </>
                )}
              </div>
            ) : null}
          </div>
          {canBuy ? (
            <fieldset className="grid gap-3 sm:grid-cols-2">
              <legend className="mb-1 text-sm font-medium">{tr('下单信息（对公转账付款）', 'Order details (paid by bank transfer)')}</legend>
              <Field meta={fields.invoiceTitle} label={tr('发票抬头', 'Invoice title')} />
              <Field meta={fields.taxNumber} label={tr('税号', 'Tax number')} />
              <Field meta={fields.contactName} label={tr('联系人', 'Contact name')} autoComplete="name" />
              <Field meta={fields.contactMobile} label={tr('联系人手机号', 'Contact mobile')} type="tel" inputMode="tel" autoComplete="tel" />
              <div className="sm:col-span-2"><Field meta={fields.note} label={tr('备注（可选）', 'Note (optional)')} /></div>
            </fieldset>
          ) : null}
          <div className="flex flex-wrap gap-2">
            <button type="submit" name="intent" value="check" disabled={busy} className={secondaryButtonClass}>{tr('检查名单', 'Check the list')}</button>
            {canBuy ? <button type="submit" name="intent" value="place" disabled={busy || pack.lines.length === 0 || pack.problems > 0} className={buttonClass}>{tr('检查并提交订单', 'Check and place the order')}</button> : null}
          </div>
        </Form>
      </section>
      {r && r.ok ? (
        <section className={`${cardClass} space-y-2`} aria-labelledby="good-list" data-testid="gift-recipients">
          <h2 id="good-list" className="font-semibold">{tr(`名单有效：${r.count} 位收件人，共 ${r.totalQuantity} 份`, `The list is valid: ${r.count} recipients, ${r.totalQuantity} in all`)}</h2>
          {pack.lines.length ? <p className="text-sm">{tr('估算金额（下单时按合计数量适用阶梯价，可能更低）', 'Estimate (quantity prices for the order total may lower it)')}：{formatFen(pack.totalFen * r.totalQuantity)}</p> : null}
          <ul className="divide-y divide-gray-100 text-sm">
            {r.recipients.map((x) => <li key={x.rowNo} className="py-1">{x.name} · {x.mobile} · {x.address} · ×{x.quantity}</li>)}
          </ul>
          {r.count > r.recipients.length ? <p className="text-xs text-gray-500">{tr(`仅显示前 ${r.recipients.length} 位`, `Showing the first ${r.recipients.length}`)}</p> : null}
        </section>
      ) : null}
    </div>
  );
}
