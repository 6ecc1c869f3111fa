// One form among several on a page (see modules/forms/rows.ts): Conform's useForm keyed by the form's
// id, answered only by the action's reply to that form.
import { getFormProps, getInputProps, useForm, type FieldMetadata, type FormMetadata } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import { Form } from '@remix-run/react';
import type { ReactNode } from 'react';
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
function FormIdField({ formId }: { formId: string }) {
  return <input type="hidden" name="formId" value={formId} />;
}

/**
 * A row's form (from useRowForm): its id, its hidden fields, the errors of the form and of those hidden
 * fields (ids the user cannot correct) in one place, then `children` — the visible fields and buttons.
 */
export function RowForm({ form, hidden, className, errorsClassName, children }: { form: FormMetadata<any>; hidden: Array<FieldMetadata<any>>; className?: string; errorsClassName?: string; children: ReactNode }) {
  const errors = [...(form.errors ?? []), ...hidden.flatMap((f) => f.errors ?? [])];
  return (
    <Form method="post" {...getFormProps(form)} className={className}>
      <FormIdField formId={form.id} />
      {hidden.map((f) => {
        const { key, ...props } = getInputProps(f, { type: 'hidden' });
        return <input key={key ?? f.name} {...props} />;
      })}
      {errors.length ? <div className={errorsClassName}><FormErrors id={form.errorId} errors={errors} /></div> : null}
      {children}
    </Form>
  );
}

/**
 * A refusal for a form that is not on the page — none was named, or its row has gone since (a parcel a
 * colleague shipped meanwhile): shown where the page puts it, so that no refusal goes unseen.
 */
export function UnplacedReply({ data, formIds }: { data: RowReply | null | undefined; formIds: string[] }) {
  if (!data?.result || formIds.includes(data.formId)) return null;
  return <FormErrors errors={replyErrors(data.result)} />;
}
