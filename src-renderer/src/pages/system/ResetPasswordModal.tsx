import { Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { systemAccountMethods, type SystemAccount } from '../../../../src-shared/api/auth';
import { call } from '../../api/client';
import { describeError } from '../../hooks/notify';
import { useContractForm } from '../../hooks/useContractForm';
import { FormActions } from '../../components/FormActions';

/** An admin sets a temporary password; the account's sessions end and it must choose its own at next login. */
export function ResetPasswordModal({
  opened,
  account,
  onClose,
  onDone,
}: {
  opened: boolean;
  account: SystemAccount | null;
  onClose(): void;
  onDone(account: SystemAccount): void;
}) {
  const { t } = useTranslation();
  const form = useContractForm({
    initialValues: { password: '', confirmPassword: '' },
    schema: systemAccountMethods['systemAccounts.update'].input,
    // Checked only while an account is open (the modal shows nothing to submit without one).
    toInput: (v) => ({ id: account?.id ?? 0, password: v.password }),
    extraChecks: (v) => ({ confirmPassword: v.confirmPassword !== v.password ? t('auth:changePassword.mismatch') : undefined }),
  });
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);

  useEffect(() => {
    if (!opened) return;
    form.load({ password: '', confirmPassword: '' });
    setFailure(null);
  }, [opened, account]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!account) return;
    if (!form.check()) return;
    const { password } = form.values;
    setBusy(true);
    setFailure(null);
    try {
      const updated = await call('systemAccounts.update', { id: account.id, password });
      onDone(updated);
      onClose();
    } catch (err) {
      if (!form.applyApiError(err)) setFailure(err);
    } finally {
      setBusy(false);
    }
  };

  const failureText = failure ? describeError(failure, t) : form.problem ? { title: t('errors:invalid_input'), message: form.problem } : null;
  return (
    <Modal
      opened={opened}
      onClose={busy ? () => undefined : onClose}
      title={t('systemAccounts:reset.title', { username: account?.username ?? '' })}
      centered
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Text size="sm">{t('systemAccounts:reset.explain')}</Text>
          <PasswordInput
            label={t('systemAccounts:reset.newPassword')}
            description={t('auth:changePassword.rule')}
            required
            autoComplete="new-password"
            data-autofocus
            {...form.text('password', { count: false })}
          />
          <PasswordInput
            label={t('auth:changePassword.confirmPassword')}
            required
            autoComplete="new-password"
            {...form.text('confirmPassword', { count: false })}
          />
          <FormActions failure={failureText} busy={busy} onCancel={onClose} submitLabel={t('systemAccounts:reset.submit')} submitColor="orange" />
        </Stack>
      </form>
    </Modal>
  );
}
