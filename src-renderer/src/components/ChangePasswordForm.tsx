import { Alert, Button, Group, PasswordInput, Stack } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { authMethods } from '../../../src-shared/api/auth';
import { call } from '../api/client';
import { describeError } from '../hooks/notify';
import { useContractForm } from '../hooks/useContractForm';

/** Current password, new password twice; used by the forced change screen and the header's modal. */
export function ChangePasswordForm({ onDone, onCancel }: { onDone(): void; onCancel?: () => void }) {
  const { t } = useTranslation();
  // The contract's rule for a new password (auth.ts `newPassword`) is checked here first, as the engine checks it.
  const form = useContractForm({
    initialValues: { oldPassword: '', newPassword: '', confirmPassword: '' },
    schema: authMethods['auth.changePassword'].input,
    toInput: (v) => ({ oldPassword: v.oldPassword, newPassword: v.newPassword }),
    extraChecks: (v) => ({
      newPassword: v.newPassword && v.newPassword === v.oldPassword ? t('auth:changePassword.mustDiffer') : undefined,
      confirmPassword: v.confirmPassword !== v.newPassword ? t('auth:changePassword.mismatch') : undefined,
    }),
  });
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!form.check()) return;
    const { oldPassword, newPassword } = form.values;
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

  const failureText = failure ? describeError(failure, t) : form.problem ? { title: t('errors:invalid_input'), message: form.problem } : null;
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <PasswordInput
          label={t('auth:changePassword.oldPassword')}
          autoComplete="current-password"
          required
          data-autofocus
          {...form.text('oldPassword', { count: false })}
        />
        <PasswordInput
          label={t('auth:changePassword.newPassword')}
          description={t('auth:changePassword.rule')}
          autoComplete="new-password"
          required
          {...form.text('newPassword', { count: false })}
        />
        <PasswordInput
          label={t('auth:changePassword.confirmPassword')}
          autoComplete="new-password"
          required
          {...form.text('confirmPassword', { count: false })}
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
