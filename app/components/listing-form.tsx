// The listing form (new and edit), phone-first: one column, variants (规格) as a list that can grow.
import { getFormProps, getInputProps, useForm, type DefaultValue, type SubmissionResult } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import { Form } from '@remix-run/react';
import { Link } from '~/components/link';
import type { z } from 'zod';
import { Field, FileField, FormErrors, SelectField, TextareaField, type OptionGroup } from '~/components/field';
import { buttonClass, secondaryButtonClass } from '~/components/status';
import { useLocale, useTr } from '~/modules/i18n/i18n';
import { listingSchema, STATISTICS_KINDS } from '~/modules/sellers/schemas';
import { fieldChecks } from '~/modules/forms/validation';

type Groups = Array<{ label: string; labelEn: string; options: Array<{ value: string; label: string; labelEn: string }> }>;
type ListingShape = z.input<typeof listingSchema> & { images?: File };
export type ListingDefaults = DefaultValue<ListingShape>;

export function ListingForm({
  id, lastResult, defaultValue, categories, counties, stockByVariant, productId, withImages, submitLabel, submitting, disabled,
}: {
  id: string;
  lastResult?: SubmissionResult<string[]> | null;
  defaultValue: ListingDefaults;
  categories: Groups;
  counties: Groups;
  /** current stock of existing variants (edited through stock adjustments) */
  stockByVariant?: Record<string, { stock: number; unit: string }>;
  productId?: number;
  withImages?: boolean;
  submitLabel: string;
  submitting: boolean;
  disabled?: boolean;
}) {
  const tr = useTr();
  const locale = useLocale();
  const [form, fields] = useForm<ListingShape, z.output<typeof listingSchema>>({
    id,
    lastResult,
    defaultValue,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: listingSchema }),
    ...fieldChecks,
  });
  const localise = (groups: Groups): OptionGroup[] => groups.map((g) => ({ label: locale === 'en' ? g.labelEn : g.label, options: g.options.map((o) => ({ value: o.value, label: locale === 'en' ? o.labelEn : o.label })) }));
  const variants = fields.variants.getFieldList();
  const kinds = { AGRI_LIVESTOCK: tr('农畜牧产品', 'Agricultural & livestock'), HANDICRAFT: tr('特色手工艺产品', 'Specialty handicraft') };
  return (
    <Form method="post" encType={withImages ? 'multipart/form-data' : undefined} {...getFormProps(form)} className="space-y-4">
      <input type="hidden" name="_action" value="save" />
      <FormErrors id={form.errorId} errors={form.errors} />
      <fieldset disabled={disabled} className="space-y-4">
        <Field meta={fields.nameZh} label={tr('商品名称', 'Product name')} />
        <Field meta={fields.nameEn} label={tr('英文名称（可选）', 'English name (optional)')} />
        <SelectField meta={fields.categoryId} label={tr('品类', 'Category')} placeholder={tr('请选择', 'Choose')} groups={localise(categories)} />
        <SelectField meta={fields.statisticsKind} label={tr('统计类别', 'Statistics kind')} placeholder={tr('请选择', 'Choose')} options={STATISTICS_KINDS.map((k) => ({ value: k, label: kinds[k] }))} hint={tr('协作办按此类别统计帮扶金额', 'Officials report totals by this kind')} />
        <SelectField meta={fields.originCode} label={tr('产地', 'Origin')} placeholder={tr('请选择', 'Choose')} groups={localise(counties)} />
        <TextareaField meta={fields.descriptionZh} label={tr('商品描述', 'Description')} rows={4} />
        <TextareaField meta={fields.descriptionEn} label={tr('英文描述（可选）', 'English description (optional)')} rows={3} />

        <div className="space-y-3">
          <h2 className="font-semibold">{tr('规格与价格', 'Specifications and prices')}</h2>
          {fields.variants.errors?.length ? <p id={fields.variants.errorId} role="alert" className="text-sm text-red-700">{fields.variants.errors.join('；')}</p> : null}
          {variants.map((variant, index) => {
            const v = variant.getFieldset();
            const existing = v.id.initialValue ? stockByVariant?.[String(v.id.initialValue)] : undefined;
            return (
              <fieldset key={variant.key} className="space-y-3 rounded-lg border border-gray-200 p-3" data-testid="variant">
                <legend className="px-1 text-sm font-medium">{tr(`规格 ${index + 1}`, `Specification ${index + 1}`)}</legend>
                {v.id.initialValue ? <input {...getInputProps(v.id, { type: 'hidden' })} /> : null}
                <Field meta={v.nameZh} label={tr('规格名称（如 500ml×6）', 'Specification (e.g. 500ml×6)')} />
                <Field meta={v.nameEn} label={tr('英文规格（可选）', 'English (optional)')} />
                <div className="grid grid-cols-2 gap-3">
                  <Field meta={v.price} label={tr('价格（元）', 'Price (元)')} inputMode="decimal" />
                  <Field meta={v.referencePrice} label={tr('市场参考价（元，可选）', 'Market price (元, optional)')} inputMode="decimal" />
                  <Field meta={v.unit} label={tr('单位（箱、袋…）', 'Unit (box, bag…)')} />
                  <Field meta={v.weightGrams} label={tr('重量（克）', 'Weight (g)')} inputMode="numeric" />
                </div>
                {existing ? (
                  <p className="text-sm text-gray-600">
                    {tr('当前库存', 'Stock')} {existing.stock} {existing.unit} ·{' '}
                    <Link to={`/seller/products/${productId}/stock`} className="text-brand-700 underline">{tr('调整库存', 'Adjust stock')}</Link>
                  </p>
                ) : (
                  <Field meta={v.stock} label={tr('初始库存', 'Initial stock')} inputMode="numeric" />
                )}
                {variants.length > 1 ? (
                  <button {...form.remove.getButtonProps({ name: fields.variants.name, index })} className="text-sm text-red-700 underline">{tr('删除此规格', 'Remove this specification')}</button>
                ) : null}
              </fieldset>
            );
          })}
          <button {...form.insert.getButtonProps({ name: fields.variants.name })} className={secondaryButtonClass}>
            + {tr('添加规格', 'Add a specification')}
          </button>
        </div>

        <Field meta={fields.referencePriceSource} label={tr('参考价来源（填写参考价时必填）', 'Source of the market prices (needed with them)')} hint={tr('如：贵州省农产品价格监测 2026年10月', 'e.g. a provincial price-monitoring bulletin')} />

        {withImages ? (
          <FileField meta={fields.images} label={tr('商品图片（可多选）', 'Pictures (you can pick several)')} accept="image/jpeg,image/png,image/webp" multiple hint={tr('JPEG/PNG/WebP，每张最大 8 MB，至少 480×360 像素', 'JPEG/PNG/WebP, up to 8 MB each, at least 480×360 px')} />
        ) : null}
      </fieldset>
      <button type="submit" disabled={submitting || disabled} className={`${buttonClass} w-full`}>{submitLabel}</button>
    </Form>
  );
}
