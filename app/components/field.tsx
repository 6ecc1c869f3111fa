import type { FieldMetadata } from '@conform-to/react';
import { getInputProps, getSelectProps, getTextareaProps } from '@conform-to/react';
import type { ReactNode } from 'react';

const controlClass = 'w-full rounded border border-gray-300 bg-white px-3 py-2 text-base aria-[invalid=true]:border-red-600';

function Errors({ id, errors }: { id: string; errors?: string[] }) {
  return errors?.length ? (
    <p id={id} className="text-sm text-red-700" role="alert">{errors.join('；')}</p>
  ) : null;
}

function Hint({ id, children }: { id: string; children?: ReactNode }) {
  return children ? <p id={id} className="text-xs text-gray-500">{children}</p> : null;
}

const describedBy = (meta: { id: string; errors?: string[] }, hint?: ReactNode) =>
  [meta.errors?.length ? `${meta.id}-error` : null, hint ? `${meta.id}-hint` : null].filter(Boolean).join(' ') || undefined;

/** A labelled input whose errors are tied to it (aria-describedby / aria-invalid). */
export function Field<S>({
  meta, label, type = 'text', autoComplete, inputMode, hint, placeholder,
}: {
  meta: FieldMetadata<S>;
  label: string;
  type?: 'text' | 'email' | 'password' | 'tel' | 'date' | 'number' | 'hidden';
  autoComplete?: string;
  inputMode?: 'text' | 'decimal' | 'numeric' | 'tel' | 'email';
  hint?: ReactNode;
  placeholder?: string;
}) {
  return (
    <div className="space-y-1">
      <label htmlFor={meta.id} className="block text-sm font-medium">{label}</label>
      <input
        {...getInputProps(meta, { type, ariaAttributes: true })}
        aria-describedby={describedBy(meta, hint)}
        autoComplete={autoComplete}
        inputMode={inputMode}
        placeholder={placeholder}
        className={controlClass}
      />
      <Hint id={`${meta.id}-hint`}>{hint}</Hint>
      <Errors id={`${meta.id}-error`} errors={meta.errors} />
    </div>
  );
}

export type Option = { value: string; label: string };
export type OptionGroup = { label: string; options: Option[] };

/** A labelled select (options or option groups), errors tied to it. */
export function SelectField<S>({ meta, label, options, groups, placeholder, hint }: { meta: FieldMetadata<S>; label: string; options?: Option[]; groups?: OptionGroup[]; placeholder?: string; hint?: ReactNode }) {
  return (
    <div className="space-y-1">
      <label htmlFor={meta.id} className="block text-sm font-medium">{label}</label>
      <select {...getSelectProps(meta, { ariaAttributes: true })} aria-describedby={describedBy(meta, hint)} className={controlClass}>
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {options?.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
        {groups?.map((g) => (
          <optgroup key={g.label} label={g.label}>
            {g.options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
          </optgroup>
        ))}
      </select>
      <Hint id={`${meta.id}-hint`}>{hint}</Hint>
      <Errors id={`${meta.id}-error`} errors={meta.errors} />
    </div>
  );
}

/** A labelled textarea, errors tied to it. */
export function TextareaField<S>({ meta, label, rows = 4, hint }: { meta: FieldMetadata<S>; label: string; rows?: number; hint?: ReactNode }) {
  return (
    <div className="space-y-1">
      <label htmlFor={meta.id} className="block text-sm font-medium">{label}</label>
      <textarea {...getTextareaProps(meta, { ariaAttributes: true })} aria-describedby={describedBy(meta, hint)} rows={rows} className={controlClass} />
      <Hint id={`${meta.id}-hint`}>{hint}</Hint>
      <Errors id={`${meta.id}-error`} errors={meta.errors} />
    </div>
  );
}

/**
 * A labelled file input. Files are checked on the server by content; `accept` only helps the phone's
 * picker. Browsers cannot refill a file input, so after an error the user picks the file again.
 */
export function FileField<S>({ meta, label, accept, multiple, hint, capture }: { meta: FieldMetadata<S>; label: string; accept: string; multiple?: boolean; hint?: ReactNode; capture?: boolean }) {
  const invalid = Boolean(meta.errors?.length);
  return (
    <div className="space-y-1">
      <label htmlFor={meta.id} className="block text-sm font-medium">{label}</label>
      <input
        id={meta.id}
        name={meta.name}
        form={meta.formId}
        type="file"
        accept={accept}
        multiple={multiple}
        capture={capture ? 'environment' : undefined}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy(meta, hint)}
        className="block w-full text-sm file:mr-3 file:rounded file:border-0 file:bg-brand-50 file:px-3 file:py-2 file:text-brand-700 aria-[invalid=true]:text-red-700"
      />
      <Hint id={`${meta.id}-hint`}>{hint}</Hint>
      <Errors id={`${meta.id}-error`} errors={meta.errors} />
    </div>
  );
}

/** Form-level errors (not tied to one field). */
export function FormErrors({ id, errors }: { id?: string; errors?: string[] }) {
  return errors?.length ? <p id={id} role="alert" className="rounded bg-red-50 p-2 text-sm text-red-700">{errors.join('；')}</p> : null;
}
