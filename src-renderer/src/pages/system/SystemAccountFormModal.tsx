import { Alert, Checkbox, Modal, PasswordInput, Select, Stack, TextInput } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SystemAccount } from '../../../../src-shared/api/auth';
import { call } from '../../api/client';
import { passwordProblem } from '../../components/ChangePasswordForm';
import { describeError } from '../../hooks/notify';
import { useFormFields } from '../../hooks/useFormFields';
import { FormActions } from '../../components/FormActions';

export const STAFF_ROLES = ['admin', 'clerk', 'auditor'] as const;
type StaffRole = (typeof STAFF_ROLES)[number];

const USERNAME = /^[A-Za-z0-9_.@-]{2,64}$/;

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
  const form = useFormFields({
    username: '',
    displayName: '',
    role: 'clerk' as string,
    password: '',
    confirmPassword: '',
    mustChangePassword: true as boolean,
  });
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);

  useEffect(() => {
    if (!opened) return;
    form.reset({
      username: account?.username ?? '',
      displayName: account?.displayName ?? '',
      role: account?.role ?? 'clerk',
      password: '',
      confirmPassword: '',
      mustChangePassword: true,
    });
    setFailure(null);
    // Reset only when the modal opens for an account, not on every render of the form.
  }, [opened, account]);

  const checkLocally = (): boolean => {
    if (editing) return true;
    const v = form.values;
    const problem = passwordProblem(v.password);
    const problems = {
      username: USERNAME.test(v.username.trim()) ? undefined : t('systemAccounts:form.usernameRule'),
      password: problem ? t(`auth:changePassword.${problem}`) : undefined,
      confirmPassword: v.confirmPassword === v.password ? undefined : t('auth:changePassword.mismatch'),
    };
    form.setErrors(problems);
    return !Object.values(problems).some(Boolean);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!checkLocally()) return;
    const v = form.values;
    setBusy(true);
    setFailure(null);
    try {
      const saved = editing
        ? await call('systemAccounts.update', { id: account.id, displayName: v.displayName.trim(), role: v.role as StaffRole })
        : await call('systemAccounts.create', {
            username: v.username.trim(),
            displayName: v.displayName.trim() || undefined,
            role: v.role as StaffRole,
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

  const failureText = failure ? describeError(failure, t) : null;
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
              description={t('systemAccounts:form.usernameRule')}
              required
              autoComplete="off"
              data-autofocus
              {...form.text('username')}
            />
          )}
          <TextInput
            label={t('systemAccounts:fields.displayName')}
            maxLength={100}
            data-autofocus={editing ? true : undefined}
            {...form.text('displayName')}
          />
          <Select
            label={t('systemAccounts:fields.role')}
            description={t(`systemAccounts:roleHelp.${form.values.role}`)}
            data={roleOptions}
            allowDeselect={false}
            required
            {...form.select('role')}
          />
          {!editing && (
            <>
              <PasswordInput
                label={t('systemAccounts:form.initialPassword')}
                description={t('auth:changePassword.rule')}
                required
                autoComplete="new-password"
                {...form.text('password')}
              />
              <PasswordInput
                label={t('auth:changePassword.confirmPassword')}
                required
                autoComplete="new-password"
                {...form.text('confirmPassword')}
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
