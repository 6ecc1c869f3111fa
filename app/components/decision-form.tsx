// Approve / reject with a reason (required to reject), for one item among several on a page.
import { getFormProps, getInputProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import { Form } from '@remix-run/react';
import type { z } from 'zod';
import { FormErrors, TextareaField } from '~/components/field';
import { buttonClass, dangerButtonClass } from '~/components/status';
import { useTr } from '~/modules/i18n/i18n';
import type { FormShape } from '~/modules/forms/fields';
import { replyFor, type RowReply } from '~/modules/forms/rows';
import { decisionSchema } from '~/modules/sellers/schemas';

export function DecisionForm({ formId, id, subject, actionData, submitting, approveLabel }: { formId: string; id: number; subject?: string; actionData?: RowReply | null; submitting: boolean; approveLabel?: string }) {
  const tr = useTr();
  const [form, fields] = useForm<FormShape<typeof decisionSchema>, z.output<typeof decisionSchema>>({
    id: formId,
    lastResult: replyFor(actionData, formId),
    defaultValue: { id: String(id) },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: decisionSchema }),
    shouldValidate: 'onSubmit',
  });
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-2">
      <input type="hidden" name="formId" value={formId} />
      {subject ? <input type="hidden" name="subject" value={subject} /> : null}
      <input {...getInputProps(fields.id, { type: 'hidden' })} />
      <FormErrors id={form.errorId} errors={form.errors} />
      <TextareaField meta={fields.reason} label={tr('驳回理由（驳回时必填）', 'Reason (needed to reject)')} rows={2} />
      <div className="flex gap-2">
        <button type="submit" name="decision" value="approve" disabled={submitting} className={buttonClass}>{approveLabel ?? tr('通过', 'Approve')}</button>
        <button type="submit" name="decision" value="reject" disabled={submitting} className={dangerButtonClass}>{tr('驳回', 'Reject')}</button>
      </div>
    </Form>
  );
}
