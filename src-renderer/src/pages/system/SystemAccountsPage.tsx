import { Badge, Button, Group, Text } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { DataTable, type DataTableColumn } from 'mantine-datatable';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SystemAccount } from '../../../../src-shared/api/auth';
import { call } from '../../api/client';
import { ConfirmActionModal } from '../../components/ConfirmActionModal';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useApiQuery } from '../../hooks/useApiQuery';
import { useFormatters } from '../../hooks/useFormatters';
import { notifySuccess } from '../../hooks/notify';
import { useSession } from '../../session/SessionProvider';
import { ResetPasswordModal } from './ResetPasswordModal';
import { SystemAccountFormModal } from './SystemAccountFormModal';

const ROLE_COLORS: Record<string, string> = { admin: 'red', clerk: 'blue', auditor: 'grape', enterprise: 'teal' };

/** Admin only: who may log in to the workstation, with which role. */
export function SystemAccountsPage() {
  const { t } = useTranslation();
  const f = useFormatters();
  const { user } = useSession();
  const accounts = useApiQuery('systemAccounts.list', {});
  const [editing, setEditing] = useState<SystemAccount | null>(null);
  const [formOpened, setFormOpened] = useState(false);
  const [resetting, setResetting] = useState<SystemAccount | null>(null);
  const [resetOpened, setResetOpened] = useState(false);
  const openReset = (account: SystemAccount) => {
    setResetting(account);
    setResetOpened(true);
  };
  // The account stays set while the confirmation closes, so its text does not change during the animation.
  const [toggling, setToggling] = useState<SystemAccount | null>(null);
  const [toggleOpened, setToggleOpened] = useState(false);
  const openToggle = (account: SystemAccount) => {
    setToggling(account);
    setToggleOpened(true);
  };

  const openForm = (account: SystemAccount | null) => {
    setEditing(account);
    setFormOpened(true);
  };
  const openCreate = () => openForm(null);

  const columns: DataTableColumn<SystemAccount>[] = [
    { accessor: 'username', title: t('systemAccounts:fields.username'), render: (a) => <Text fw={500} size="sm">{a.username}</Text> },
    { accessor: 'displayName', title: t('systemAccounts:fields.displayName') },
    {
      accessor: 'role',
      title: t('systemAccounts:fields.role'),
      noWrap: true,
      render: (a) => (
        <Badge variant="light" color={ROLE_COLORS[a.role]} miw="max-content">
          {t(`common:roles.${a.role}`)}
        </Badge>
      ),
    },
    {
      accessor: 'disabled',
      title: t('systemAccounts:fields.status'),
      noWrap: true,
      render: (a) => (
        <Group gap={4}>
          <Badge variant="dot" color={a.disabled ? 'gray' : 'green'} miw="max-content">
            {a.disabled ? t('systemAccounts:status.disabled') : t('systemAccounts:status.active')}
          </Badge>
          {a.mustChangePassword && (
            <Badge variant="outline" color="orange" miw="max-content">
              {t('systemAccounts:status.mustChangePassword')}
            </Badge>
          )}
        </Group>
      ),
    },
    { accessor: 'createdAt', title: t('systemAccounts:fields.createdAt'), noWrap: true, render: (a) => f.dateTime(a.createdAt) },
    {
      accessor: 'lastLoginAt',
      title: t('systemAccounts:fields.lastLoginAt'),
      noWrap: true,
      render: (a) => (a.lastLoginAt ? f.dateTime(a.lastLoginAt) : <Text c="dimmed" size="sm">{t('systemAccounts:never')}</Text>),
    },
    {
      accessor: 'actions',
      title: t('common:actions.label'),
      textAlign: 'right',
      render: (a) => (
        <Group gap={4} justify="flex-end" wrap="nowrap">
          <Button size="compact-xs" variant="default" onClick={() => openForm(a)}>
            {t('common:actions.edit')}
          </Button>
          <Button size="compact-xs" variant="default" onClick={() => openReset(a)}>
            {t('systemAccounts:actions.resetPassword')}
          </Button>
          <Button
            size="compact-xs"
            variant="default"
            color={a.disabled ? 'green' : 'red'}
            disabled={!a.disabled && a.id === user?.id}
            title={!a.disabled && a.id === user?.id ? t('systemAccounts:cannotDisableSelf') : undefined}
            onClick={() => openToggle(a)}
          >
            {a.disabled ? t('systemAccounts:actions.enable') : t('systemAccounts:actions.disable')}
          </Button>
        </Group>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('nav:systemAccounts')}
        description={t('systemAccounts:description')}
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={openCreate}>
            {t('systemAccounts:actions.add')}
          </Button>
        }
      />
      {accounts.error && <ErrorAlert error={accounts.error} onRetry={accounts.reload} />}
      <DataTable<SystemAccount>
        aria-label={t('nav:systemAccounts')}
        withTableBorder
        borderRadius="sm"
        striped
        highlightOnHover
        minHeight={accounts.data?.length ? 150 : 260}
        records={accounts.data ?? []}
        columns={columns}
        fetching={accounts.loading}
        loaderBackgroundBlur={0}
        emptyState={
          accounts.data ? (
            <EmptyState
              title={t('systemAccounts:empty.title')}
              hint={t('systemAccounts:empty.hint')}
              action={<Button onClick={openCreate}>{t('systemAccounts:actions.add')}</Button>}
            />
          ) : (
            <span />
          )
        }
      />
      <SystemAccountFormModal
        opened={formOpened}
        account={editing}
        onClose={() => setFormOpened(false)}
        onSaved={(saved, created) => {
          notifySuccess(
            created
              ? t('systemAccounts:notify.created', { username: saved.username })
              : t('systemAccounts:notify.updated', { username: saved.username }),
          );
          accounts.reload();
        }}
      />
      <ResetPasswordModal
        opened={resetOpened}
        account={resetting}
        onClose={() => setResetOpened(false)}
        onDone={(updated) => {
          notifySuccess(t('systemAccounts:notify.passwordReset', { username: updated.username }));
          accounts.reload();
        }}
      />
      <ConfirmActionModal
        opened={toggleOpened}
        onClose={() => setToggleOpened(false)}
        title={
          toggling?.disabled
            ? t('systemAccounts:toggle.enableTitle', { username: toggling?.username ?? '' })
            : t('systemAccounts:toggle.disableTitle', { username: toggling?.username ?? '' })
        }
        message={toggling?.disabled ? t('systemAccounts:toggle.enableMessage') : t('systemAccounts:toggle.disableMessage')}
        confirmLabel={toggling?.disabled ? t('systemAccounts:actions.enable') : t('systemAccounts:actions.disable')}
        color={toggling?.disabled ? 'green' : 'red'}
        // systemAccounts.disable keeps no reason; the operation log records who did it and when.
        reason="none"
        onConfirm={async () => {
          if (!toggling) return;
          const updated = await call('systemAccounts.disable', { id: toggling.id, disabled: !toggling.disabled });
          notifySuccess(
            updated.disabled
              ? t('systemAccounts:notify.disabled', { username: updated.username })
              : t('systemAccounts:notify.enabled', { username: updated.username }),
          );
          accounts.reload();
        }}
      />
    </>
  );
}
