// Pages that show one small form per row (a parcel to ship, a review to answer or hide, a payment to
// return, an invoice to issue): each form has its own id, sent in a hidden `formId` field, and the
// action answers with that id. Only the form that was sent shows the answer — its errors at its fields,
// its typed values back in place (also without JavaScript: Conform renders them from the reply).
import type { SubmissionResult } from '@conform-to/react';

/** An action's answer to one of several forms on a page: Conform's reply, or what was done. */
export type RowReply = { formId: string; result?: SubmissionResult<string[]>; done?: string };

const FORM_ID = /^[a-z][a-z0-9-]{0,59}$/;

/** The id of the form a submission came from, whether or not its other fields parse ('' when absent or malformed). */
export function formIdOf(form: FormData): string {
  const v = form.get('formId');
  return typeof v === 'string' && FORM_ID.test(v) ? v : '';
}

/** The form id of row `id` of kind `kind` ("ship-12"). */
export const rowFormId = (kind: string, id: number) => `${kind}-${id}`;

/** The reply for form `formId`, if the action answered that form. */
export function replyFor(data: RowReply | null | undefined, formId: string): SubmissionResult<string[]> | null {
  return data && data.formId === formId ? (data.result ?? null) : null;
}

/** Every message of a reply (the form's and its fields'), for a small form that shows them in one place. */
export function replyErrors(result: SubmissionResult<string[]> | null | undefined): string[] {
  return result?.error ? Object.values(result.error).flat().filter((e): e is string => typeof e === 'string') : [];
}
