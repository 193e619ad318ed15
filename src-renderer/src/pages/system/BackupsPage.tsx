import { Alert, Anchor, Badge, Button, Code, CopyButton, Group, Progress, Stack, Text, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDatabaseExport, IconSettings } from '@tabler/icons-react';
import { DataTable, type DataTableColumn } from 'mantine-datatable';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { BackupFile } from '../../../../src-shared/api/system';
import { call } from '../../api/client';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { formatBytes } from '../../format/bytes';
import { notifyError, notifySuccess } from '../../hooks/notify';
import { useApiEvent } from '../../hooks/useApiEvent';
import { useApiQuery } from '../../hooks/useApiQuery';
import { useFormatters } from '../../hooks/useFormatters';
import { RestoreBackupModal } from './RestoreBackupModal';

const KIND_COLORS = { manual: 'blue', scheduled: 'teal', unknown: 'gray' } as const;

/** Admin only: back up now, see every backup with its checksum, restore one. */
export function BackupsPage() {
  const { t } = useTranslation();
  const f = useFormatters();
  const list = useApiQuery('system.backups', {});
  const [progress, setProgress] = useState<{ copied: number; total: number } | null>(null);
  const [starting, setStarting] = useState(false);
  const [restoring, setRestoring] = useState<BackupFile | null>(null);
  const [restoreOpened, setRestoreOpened] = useState(false);

  useApiEvent('system.backup', (event) => {
    if (event.state === 'running') setProgress({ copied: event.copiedPages ?? 0, total: event.totalPages ?? 0 });
    else {
      setProgress(null);
      list.reload();
    }
  });

  const backUpNow = async () => {
    setStarting(true);
    try {
      const file = await call('system.backup', {});
      notifySuccess(t('backups:done', { fileName: file.fileName, size: formatBytes(file.sizeBytes, f.locale) }));
    } catch (err) {
      notifyError(err, t);
    } finally {
      setStarting(false);
      setProgress(null);
      list.reload();
    }
  };

  const running = list.data?.running;
  const shown = progress ?? (running ? { copied: running.copiedPages, total: running.totalPages } : null);
  const busy = starting || Boolean(running);
  const schedule = list.data?.schedule;

  const columns: DataTableColumn<BackupFile>[] = [
    { accessor: 'fileName', title: t('backups:fields.fileName'), render: (b) => <Text size="sm" ff="monospace">{b.fileName}</Text> },
    { accessor: 'createdAt', title: t('backups:fields.createdAt', { zone: f.zone }), noWrap: true, render: (b) => f.dateTime(b.createdAt) },
    { accessor: 'sizeBytes', title: t('backups:fields.size'), textAlign: 'right', noWrap: true, render: (b) => formatBytes(b.sizeBytes, f.locale) },
    {
      accessor: 'kind',
      title: t('backups:fields.kind'),
      render: (b) => (
        <Badge variant="light" color={KIND_COLORS[b.kind]} miw="max-content">
          {t(`backups:kinds.${b.kind}`)}
        </Badge>
      ),
    },
    {
      accessor: 'createdBy',
      title: t('backups:fields.createdBy'),
      // The schedule writes "(scheduled)" as who asked: shown as the kind's word in the clerk's language.
      render: (b) => (b.createdBy === '(scheduled)' ? t('backups:kinds.scheduled') : (b.createdBy ?? '')),
    },
    {
      accessor: 'sha256',
      title: t('backups:fields.sha256'),
      render: (b) =>
        b.sha256 ? (
          <CopyButton value={b.sha256}>
            {({ copied, copy }) => (
              <Tooltip label={copied ? t('backups:copied') : b.sha256}>
                <Code style={{ cursor: 'pointer' }} onClick={copy}>
                  {b.sha256!.slice(0, 12)}…
                </Code>
              </Tooltip>
            )}
          </CopyButton>
        ) : (
          <Text size="xs" c="dimmed">
            {t('backups:noChecksum')}
          </Text>
        ),
    },
    {
      accessor: 'actions',
      title: t('common:actions.label'),
      textAlign: 'right',
      render: (b) => (
        <Button
          size="compact-xs"
          variant="default"
          color="red"
          disabled={busy}
          onClick={() => {
            setRestoring(b);
            setRestoreOpened(true);
          }}
        >
          {t('backups:actions.restore')}
        </Button>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('nav:backups')}
        description={t('backups:description')}
        actions={
          <Button leftSection={<IconDatabaseExport size={16} />} loading={busy} onClick={() => void backUpNow()}>
            {t('backups:actions.backUpNow')}
          </Button>
        }
      />
      {list.error && <ErrorAlert error={list.error} onRetry={list.reload} />}
      <Stack gap="sm" mb="md">
        {shown && (
          <Stack gap={4}>
            <Text size="sm">{t('backups:running', { copied: f.number(shown.copied), total: f.number(shown.total) })}</Text>
            <Progress value={shown.total ? (shown.copied / shown.total) * 100 : 0} animated aria-label={t('backups:runningLabel')} />
          </Stack>
        )}
        {list.data?.lastError && (
          <Alert color="red" variant="light" title={t('backups:lastError', { at: f.dateTime(list.data.lastError.at, true) })}>
            {list.data.lastError.message}
          </Alert>
        )}
        {list.data && schedule && (
          <Group gap="xs">
            <Text size="sm" c="dimmed">
              {t('backups:folder')} <Code>{list.data.folder}</Code>
            </Text>
            <Text size="sm" c="dimmed">
              ·{' '}
              {schedule.schedule === 'off'
                ? t('backups:scheduleOff')
                : t('backups:scheduleOn', {
                    schedule: t(`settings:backup.schedules.${schedule.schedule}`),
                    keep: schedule.keep,
                    next: schedule.nextRunAt ? f.dateTime(schedule.nextRunAt, true) : '—',
                  })}
            </Text>
            <Anchor component={Link} to="/system/settings?tab=backup" size="sm">
              <Group gap={4} component="span">
                <IconSettings size={14} />
                {t('backups:changeSchedule')}
              </Group>
            </Anchor>
          </Group>
        )}
      </Stack>
      <DataTable<BackupFile>
        aria-label={t('nav:backups')}
        withTableBorder
        borderRadius="sm"
        striped
        highlightOnHover
        idAccessor="fileName"
        minHeight={list.data?.backups.length ? 150 : 260}
        records={list.data?.backups ?? []}
        columns={columns}
        fetching={list.loading}
        loaderBackgroundBlur={0}
        emptyState={
          list.data ? (
            <EmptyState
              title={t('backups:empty.title')}
              hint={t('backups:empty.hint')}
              action={<Button onClick={() => void backUpNow()}>{t('backups:actions.backUpNow')}</Button>}
            />
          ) : (
            <span />
          )
        }
      />
      <RestoreBackupModal
        backup={restoring}
        opened={restoreOpened}
        onClose={() => setRestoreOpened(false)}
        onRestarting={(result) => {
          notifySuccess(t('backups:restore.started', { fileName: result.restoring, keptAs: result.keptAs }));
          for (const warning of result.warnings) notifications.show({ color: 'yellow', message: warning, autoClose: false });
        }}
      />
    </>
  );
}
