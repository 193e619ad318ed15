import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../api/problems';

/** What sending needs of a form (useContractForm and useFlatContractForm both have it). */
interface SendableForm<I> {
  check(): boolean;
  input(): I;
  applyApiError(err: unknown): boolean;
  problem: string | null;
}

/**
 * Sends a contract form: checks it, calls `send` with its input, puts the engine's field errors on the fields and any
 * other refusal in the form's alert (`failureText`, for FormActions); `busy` while the call runs.
 *
 *   const sending = useContractSubmit(form, async (fields) => { onSaved(await call('enterprises.create', fields)); onClose(); });
 *   <form onSubmit={sending.submit}> ... <FormActions failure={sending.failureText} busy={sending.busy} ... />
 */
export function useContractSubmit<I>(form: SendableForm<I>, send: (input: I) => Promise<void>) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    if (!form.check()) return;
    const input = form.input();
    setBusy(true);
    setFailure(null);
    try {
      await send(input);
    } catch (err) {
      if (!form.applyApiError(err)) setFailure(err);
    } finally {
      setBusy(false);
    }
  };
  const failureText = failure ? describeError(failure, t) : form.problem ? { title: t('errors:invalid_input'), message: form.problem } : null;
  return { busy, submit, failureText, clearFailure: () => setFailure(null) };
}
