// When forms check their fields in the browser (Conform's useForm options, spread into every form).
//
// A field is first checked when it is left. An error it shows is re-checked as the value is corrected, not
// when the field is left: re-checking on leaving removed the message as the user pressed the submit button
// below it, the button moved up between the press and the release, and the click was lost (found on the
// gift-list form by its browser test).
export const fieldChecks = { shouldValidate: 'onBlur', shouldRevalidate: 'onInput' } as const;
