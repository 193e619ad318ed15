import { Alert, Button, Group, PasswordInput, Stack } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../api/client';
import { describeError } from '../hooks/notify';
import { useFormFields } from '../hooks/useFormFields';

/** The server's rule (src-shared/api/auth.ts `newPassword`), checked here first to explain it in the user's language. */
export function passwordProblem(password: string): 'tooShort' | 'lettersAndDigits' | null {
  if (password.length < 10) return 'tooShort';
  if (!/[A-Za-z]/.test(password) || !/[0-9]/.test(password)) return 'lettersAndDigits';
  return null;
}

/** Current password, new password twice; used by the forced change screen and the header's modal. */
export function ChangePasswordForm({ onDone, onCancel }: { onDone(): void; onCancel?: () => void }) {
  const { t } = useTranslation();
  const form = useFormFields({ oldPassword: '', newPassword: '', confirmPassword: '' });
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const { oldPassword, newPassword, confirmPassword } = form.values;
    const problem = passwordProblem(newPassword);
    const problems = {
      oldPassword: oldPassword ? undefined : t('auth:changePassword.oldRequired'),
      newPassword: problem
        ? t(`auth:changePassword.${problem}`)
        : newPassword === oldPassword
          ? t('auth:changePassword.mustDiffer')
          : undefined,
      confirmPassword: confirmPassword === newPassword ? undefined : t('auth:changePassword.mismatch'),
    };
    form.setErrors(problems);
    if (Object.values(problems).some(Boolean)) return;
    setBusy(true);
    setFailure(null);
    try {
      await call('auth.changePassword', { oldPassword, newPassword });
      onDone();
    } catch (err) {
      if (!form.applyApiError(err)) setFailure(err);
    } finally {
      setBusy(false);
    }
  };

  const failureText = failure ? describeError(failure, t) : null;
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <PasswordInput
          label={t('auth:changePassword.oldPassword')}
          autoComplete="current-password"
          required
          data-autofocus
          {...form.text('oldPassword')}
        />
        <PasswordInput
          label={t('auth:changePassword.newPassword')}
          description={t('auth:changePassword.rule')}
          autoComplete="new-password"
          required
          {...form.text('newPassword')}
        />
        <PasswordInput
          label={t('auth:changePassword.confirmPassword')}
          autoComplete="new-password"
          required
          {...form.text('confirmPassword')}
        />
        {failureText && (
          <Alert color="red" variant="light" title={failureText.title} role="alert">
            {failureText.message}
          </Alert>
        )}
        <Group justify="flex-end" gap="xs">
          {onCancel && (
            <Button variant="default" onClick={onCancel} disabled={busy}>
              {t('common:actions.cancel')}
            </Button>
          )}
          <Button type="submit" loading={busy}>
            {t('auth:changePassword.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
