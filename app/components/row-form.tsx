// One form among several on a page (see modules/forms/rows.ts): Conform's useForm keyed by the form's
// id, answered only by the action's reply to that form.
import { useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import type { z } from 'zod';
import { FormErrors } from '~/components/field';
import type { FormShape } from '~/modules/forms/fields';
import { replyErrors, replyFor, type RowReply } from '~/modules/forms/rows';
import { fieldChecks } from '~/modules/forms/validation';

export function useRowForm<S extends z.ZodTypeAny>(schema: S, formId: string, data: RowReply | null | undefined, defaultValue?: Partial<FormShape<S>>) {
  return useForm<FormShape<S>, z.output<S>>({
    id: formId,
    lastResult: replyFor(data, formId),
    defaultValue: defaultValue as never,
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    ...fieldChecks,
  });
}

/** The hidden field that tells the action which form was sent. */
export function FormIdField({ formId }: { formId: string }) {
  return <input type="hidden" name="formId" value={formId} />;
}

/** The form's own errors and those of its hidden fields (ids the user cannot correct), in one place. */
export function RowFormErrors({ form, hidden, className }: { form: { errorId: string; errors?: string[] }; hidden: Array<{ errors?: string[] }>; className?: string }) {
  const errors = [...(form.errors ?? []), ...hidden.flatMap((f) => f.errors ?? [])];
  return errors.length ? <div className={className}><FormErrors id={form.errorId} errors={errors} /></div> : null;
}

/**
 * A refusal for a form that is not on the page — none was named, or its row has gone since (a parcel a
 * colleague shipped meanwhile): shown where the page puts it, so that no refusal goes unseen.
 */
export function UnplacedReply({ data, formIds }: { data: RowReply | null | undefined; formIds: string[] }) {
  if (!data?.result || formIds.includes(data.formId)) return null;
  return <FormErrors errors={replyErrors(data.result)} />;
}
