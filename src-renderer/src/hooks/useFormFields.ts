import { useCallback, useState, type ChangeEvent } from 'react';
import { ApiError, type FieldErrors } from '../../../src-shared/api/errors';

/**
 * The per-field problems an API error carries (`details.fields`, e.g. `{ "username": ["is taken"] }`), joined per
 * field; null when the error has none.
 */
export function fieldErrorsOf(error: unknown): Record<string, string> | null {
  if (!(error instanceof ApiError)) return null;
  const fields = (error.details as { fields?: FieldErrors } | undefined)?.fields;
  if (!fields || typeof fields !== 'object') return null;
  const out: Record<string, string> = {};
  for (const [path, messages] of Object.entries(fields)) {
    if (Array.isArray(messages) && messages.length) out[path] = messages.join('; ');
  }
  return Object.keys(out).length ? out : null;
}

type FieldValue = string | boolean;

/**
 * Controlled form state for Mantine inputs with server-side validation shown on the fields:
 *
 *   const form = useFormFields({ username: '', role: 'clerk' });
 *   <TextInput label={t('username')} {...form.text('username')} />
 *   <Select label={t('role')} data={roles} {...form.select('role')} />
 *   try { await call(...) } catch (err) { if (!form.applyApiError(err)) notifyError(err) }
 *
 * A field's error clears as soon as it is edited. Field names are the contract's input paths ("intervals.0.price").
 */
export function useFormFields<T extends Record<string, FieldValue>>(initial: T) {
  const [values, setValues] = useState<T>(initial);
  const [errors, setErrors] = useState<Partial<Record<keyof T & string, string>>>({});

  const setValue = useCallback(<K extends keyof T & string>(name: K, value: T[K]) => {
    setValues((current) => ({ ...current, [name]: value }));
    setErrors((current) => (current[name] ? { ...current, [name]: undefined } : current));
  }, []);

  const setError = useCallback((name: keyof T & string, message: string | undefined) => {
    setErrors((current) => ({ ...current, [name]: message }));
  }, []);

  /** Puts the error's field messages on the matching fields; true if at least one matched. */
  const applyApiError = useCallback(
    (error: unknown): boolean => {
      const fields = fieldErrorsOf(error);
      if (!fields) return false;
      const matched = Object.entries(fields).filter(([path]) => path in values);
      if (!matched.length) return false;
      setErrors(Object.fromEntries(matched) as Partial<Record<keyof T & string, string>>);
      return true;
    },
    [values],
  );

  const reset = useCallback((next: T = initial) => {
    setValues(next);
    setErrors({});
    // `initial` is the first render's object; later renders' literals must not reset a form being edited.
  }, []);

  return {
    values,
    errors,
    setValue,
    setError,
    setErrors,
    applyApiError,
    reset,
    hasErrors: Object.values(errors).some(Boolean),
    /** Props for TextInput / PasswordInput / Textarea. */
    text: (name: keyof T & string) => ({
      value: String(values[name] ?? ''),
      onChange: (event: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) =>
        setValue(name, event.currentTarget.value as T[typeof name]),
      error: errors[name],
    }),
    /** Props for Select / SegmentedControl-like inputs that hand over the value itself. */
    select: (name: keyof T & string) => ({
      value: String(values[name] ?? ''),
      onChange: (value: string | null) => setValue(name, (value ?? '') as T[typeof name]),
      error: errors[name],
    }),
    /** Props for Checkbox / Switch. */
    checkbox: (name: keyof T & string) => ({
      checked: Boolean(values[name]),
      onChange: (event: ChangeEvent<HTMLInputElement>) => setValue(name, event.currentTarget.checked as T[typeof name]),
      error: errors[name],
    }),
  };
}

export type FormFields<T extends Record<string, FieldValue>> = ReturnType<typeof useFormFields<T>>;
