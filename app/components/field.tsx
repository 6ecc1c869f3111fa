import type { FieldMetadata } from '@conform-to/react';
import { getInputProps } from '@conform-to/react';

/** A labelled input whose errors are tied to it (aria-describedby / aria-invalid). */
export function Field({ meta, label, type = 'text', autoComplete }: { meta: FieldMetadata<string>; label: string; type?: 'text' | 'email' | 'password'; autoComplete?: string }) {
  const errorId = `${meta.id}-error`;
  return (
    <div className="space-y-1">
      <label htmlFor={meta.id} className="block text-sm font-medium">{label}</label>
      <input
        {...getInputProps(meta, { type, ariaAttributes: true })}
        aria-describedby={meta.errors?.length ? errorId : undefined}
        autoComplete={autoComplete}
        className="w-full rounded border border-gray-300 px-3 py-2 aria-[invalid=true]:border-red-600"
      />
      {meta.errors?.length ? (
        <p id={errorId} className="text-sm text-red-700" role="alert">{meta.errors.join('；')}</p>
      ) : null}
    </div>
  );
}
