import { Alert, Checkbox, Modal, PasswordInput, Select, Stack, TextInput } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { systemAccountMethods, type SystemAccount } from '../../../../src-shared/api/auth';
import { call } from '../../api/client';
import { describeError } from '../../hooks/notify';
import { useContractForm } from '../../hooks/useContractForm';
import { FormActions } from '../../components/FormActions';

export const STAFF_ROLES = ['admin', 'clerk', 'auditor'] as const;
type StaffRole = (typeof STAFF_ROLES)[number];

/** Create an account (`account` absent) or edit one's display name and role. */
export function SystemAccountFormModal({
  opened,
  account,
  onClose,
  onSaved,
}: {
  opened: boolean;
  account: SystemAccount | null;
  onClose(): void;
  onSaved(account: SystemAccount, created: boolean): void;
}) {
  const { t } = useTranslation();
  const editing = account !== null;
  const form = useContractForm({
    initialValues: {
      username: '',
      displayName: '',
      role: 'clerk' as StaffRole,
      password: '',
      confirmPassword: '',
      mustChangePassword: true as boolean,
    },
    // An edit changes the display name and role only (the password has its own reset).
    schema: editing ? systemAccountMethods['systemAccounts.update'].input : systemAccountMethods['systemAccounts.create'].input,
    toInput: (v) =>
      editing
        ? { id: account.id, displayName: v.displayName, role: v.role }
        : { username: v.username, displayName: v.displayName.trim() ? v.displayName : undefined, role: v.role, password: v.password, mustChangePassword: v.mustChangePassword },
    extraChecks: (v) => ({ confirmPassword: !editing && v.confirmPassword !== v.password ? t('auth:changePassword.mismatch') : undefined }),
  });
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);

  useEffect(() => {
    if (!opened) return;
    form.load({
      username: account?.username ?? '',
      displayName: account?.displayName ?? '',
      role: (account?.role ?? 'clerk') as StaffRole,
      password: '',
      confirmPassword: '',
      mustChangePassword: true,
    });
    setFailure(null);
    // Reset only when the modal opens for an account, not on every render of the form.
  }, [opened, account]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!form.check()) return;
    const v = form.values;
    setBusy(true);
    setFailure(null);
    try {
      const saved = editing
        ? await call('systemAccounts.update', { id: account.id, displayName: v.displayName, role: v.role })
        : await call('systemAccounts.create', {
            username: v.username,
            displayName: v.displayName.trim() ? v.displayName : undefined,
            role: v.role,
            password: v.password,
            mustChangePassword: v.mustChangePassword,
          });
      onSaved(saved, !editing);
      onClose();
    } catch (err) {
      if (!form.applyApiError(err)) setFailure(err);
    } finally {
      setBusy(false);
    }
  };

  const failureText = failure ? describeError(failure, t) : form.problem ? { title: t('errors:invalid_input'), message: form.problem } : null;
  const roleOptions = STAFF_ROLES.map((role) => ({ value: role, label: t(`common:roles.${role}`) }));
  return (
    <Modal
      opened={opened}
      onClose={busy ? () => undefined : onClose}
      title={editing ? t('systemAccounts:form.editTitle', { username: account.username }) : t('systemAccounts:form.createTitle')}
      centered
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {!editing && (
            <TextInput
              label={t('systemAccounts:fields.username')}
              required
              autoComplete="off"
              data-autofocus
              {...form.text('username', { description: t('systemAccounts:form.usernameRule') })}
            />
          )}
          <TextInput
            label={t('systemAccounts:fields.displayName')}
            data-autofocus={editing ? true : undefined}
            {...form.text('displayName')}
          />
          <Select
            label={t('systemAccounts:fields.role')}
            description={t(`systemAccounts:roleHelp.${form.values.role}`)}
            data={roleOptions}
            allowDeselect={false}
            required
            {...form.getInputProps('role')}
          />
          {!editing && (
            <>
              <PasswordInput
                label={t('systemAccounts:form.initialPassword')}
                description={t('auth:changePassword.rule')}
                required
                autoComplete="new-password"
                {...form.text('password', { count: false })}
              />
              <PasswordInput
                label={t('auth:changePassword.confirmPassword')}
                required
                autoComplete="new-password"
                {...form.text('confirmPassword', { count: false })}
              />
              <Checkbox label={t('systemAccounts:form.mustChangePassword')} {...form.checkbox('mustChangePassword')} />
            </>
          )}
          {editing && account.role !== form.values.role && (
            <Alert color="yellow" variant="light">
              {t('systemAccounts:form.roleChangeEndsSessions')}
            </Alert>
          )}
          <FormActions failure={failureText} busy={busy} onCancel={onClose} submitLabel={editing ? t('common:actions.save') : t('systemAccounts:actions.create')} />
        </Stack>
      </form>
    </Modal>
  );
}
