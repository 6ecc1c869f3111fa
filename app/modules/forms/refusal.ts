// A refusal from the domain (OrderError, a listing result…) as Conform reply options: at the field it
// names when the page shows that field, else for the whole form — never at a field the page does not
// render, where nobody would see it (checkout's "not enough stock" named `quantity`, which checkout has
// no field for).
export function refusal(message: string, field: string | null | undefined, shownFields: readonly string[]): { fieldErrors: Record<string, string[]> } | { formErrors: string[] } {
  return field && shownFields.includes(field) ? { fieldErrors: { [field]: [message] } } : { formErrors: [message] };
}
