import { Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SystemAccount } from '../../../../src-shared/api/auth';
import { call } from '../../api/client';
import { passwordProblem } from '../../components/ChangePasswordForm';
import { describeError } from '../../hooks/notify';
import { useFormFields } from '../../hooks/useFormFields';
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
  const form = useFormFields({ password: '', confirmPassword: '' });
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);

  useEffect(() => {
    if (!opened) return;
    form.reset({ password: '', confirmPassword: '' });
    setFailure(null);
  }, [opened, account]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!account) return;
    const { password, confirmPassword } = form.values;
    const problem = passwordProblem(password);
    if (problem) return form.setError('password', t(`auth:changePassword.${problem}`));
    if (confirmPassword !== password) return form.setError('confirmPassword', t('auth:changePassword.mismatch'));
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

  const failureText = failure ? describeError(failure, t) : null;
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
            {...form.text('password')}
          />
          <PasswordInput
            label={t('auth:changePassword.confirmPassword')}
            required
            autoComplete="new-password"
            {...form.text('confirmPassword')}
          />
          <FormActions failure={failureText} busy={busy} onCancel={onClose} submitLabel={t('systemAccounts:reset.submit')} submitColor="orange" />
        </Stack>
      </form>
    </Modal>
  );
}
