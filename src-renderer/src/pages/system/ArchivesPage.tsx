import { Alert, Anchor, Button, Code, CopyButton, Group, Progress, Stack, Text, Tooltip } from '@mantine/core';
import { useInterval } from '@mantine/hooks';
import { IconArchive, IconDownload, IconPlayerPlay, IconSettings } from '@tabler/icons-react';
import { DataTable, type DataTableColumn } from 'mantine-datatable';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { CdrArchive } from '../../../../src-shared/api/retention';
import { call } from '../../api/client';
import { saveDownload } from '../../api/downloads';
import { ConfirmActionModal } from '../../components/ConfirmActionModal';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { formatBytes } from '../../format/bytes';
import { zoneLabel } from '../../format/time';
import { notifyError, notifySuccess } from '../../hooks/notify';
import { useApiQuery } from '../../hooks/useApiQuery';
import { useFormatters } from '../../hooks/useFormatters';
import { usePermissions } from '../../session/SessionProvider';

/** While a run goes, the page reads its progress this often (the job reports it through system.archives). */
const RUNNING_POLL_MS = 1000;

/** "2026-04" as the clerk's language writes a month ("2026年4月", "April 2026"). */
function monthLabel(month: string | null, locale: string): string {
  if (!month) return '—';
  const [year, m] = month.split('-').map(Number);
  return new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(Date.UTC(year!, m! - 1, 1));
}

/**
 * The CDR archives of the retention job: what is kept and until when, each month's archive with its checksum to
 * download (the evidence of what was billed once the CDRs are deleted), and for admins a run now.
 */
export function ArchivesPage() {
  const { t } = useTranslation();
  const f = useFormatters();
  const { isAdmin } = usePermissions();
  const list = useApiQuery('system.archives', {});
  const [confirming, setConfirming] = useState(false);
  const [started, setStarted] = useState(false);
  const [downloading, setDownloading] = useState<string | null>(null);
  const d = list.data;
  const running = d?.running ?? null;
  const poll = useInterval(list.reload, RUNNING_POLL_MS);
  const busy = started || running !== null;
  useEffect(() => {
    if (busy) poll.start();
    else poll.stop();
    return poll.stop;
  }, [busy]);

  const download = async (fileName: string) => {
    setDownloading(fileName);
    try {
      await saveDownload(await call('system.archiveDownload', { fileName }));
    } catch (err) {
      notifyError(err, t);
    } finally {
      setDownloading(null);
    }
  };

  const runNow = async () => {
    setStarted(true);
    // The run can take minutes: the modal closes, the page follows its progress and tells the result.
    call('system.purge', {})
      .then((result) =>
        notifySuccess(
          result.deleted > 0
            ? t('archives:run.done', { count: result.deleted, months: result.months.length })
            : t('archives:run.nothing', { cutoff: f.dateTime(result.cutoff, true) }),
        ),
      )
      .catch((err: unknown) => notifyError(err, t))
      .finally(() => {
        setStarted(false);
        list.reload();
      });
  };

  const columns: DataTableColumn<CdrArchive>[] = [
    { accessor: 'month', title: t('archives:fields.month'), noWrap: true, render: (a) => monthLabel(a.month, f.locale) },
    {
      accessor: 'cdrs',
      title: t('archives:fields.cdrs'),
      textAlign: 'right',
      noWrap: true,
      render: (a) => (a.cdrs === null ? <Text size="sm" c="dimmed">{t('archives:unknownCount')}</Text> : f.number(a.cdrs)),
    },
    { accessor: 'bytes', title: t('archives:fields.size'), textAlign: 'right', noWrap: true, render: (a) => formatBytes(a.bytes, f.locale) },
    {
      accessor: 'sha256',
      title: t('archives:fields.sha256'),
      render: (a) =>
        a.sha256 ? (
          <CopyButton value={a.sha256}>
            {({ copied, copy }) => (
              <Tooltip label={copied ? t('archives:copied') : a.sha256}>
                <Code style={{ cursor: 'pointer' }} onClick={copy}>
                  {a.sha256!.slice(0, 12)}…
                </Code>
              </Tooltip>
            )}
          </CopyButton>
        ) : (
          <Text size="xs" c="red">
            {t('archives:noChecksum')}
          </Text>
        ),
    },
    { accessor: 'createdAt', title: t('archives:fields.createdAt', { zone: f.zone }), noWrap: true, render: (a) => f.dateTime(a.createdAt) },
    { accessor: 'fileName', title: t('archives:fields.fileName'), render: (a) => <Text size="xs" ff="monospace">{a.fileName}</Text> },
    {
      accessor: 'actions',
      title: t('common:actions.label'),
      textAlign: 'right',
      noWrap: true,
      render: (a) => (
        <Group gap={4} justify="flex-end" wrap="nowrap">
          <Button
            size="compact-xs"
            variant="default"
            leftSection={<IconDownload size={12} />}
            loading={downloading === a.fileName}
            onClick={() => void download(a.fileName)}
            aria-label={t('archives:actions.downloadOf', { month: monthLabel(a.month, f.locale) })}
          >
            {t('archives:actions.download')}
          </Button>
          {a.sha256File && (
            <Button
              size="compact-xs"
              variant="subtle"
              loading={downloading === a.sha256File}
              onClick={() => void download(a.sha256File!)}
              aria-label={t('archives:actions.checksumOf', { month: monthLabel(a.month, f.locale) })}
            >
              {t('archives:actions.checksum')}
            </Button>
          )}
        </Group>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('nav:archives')}
        description={t('archives:description')}
        actions={
          isAdmin && (
            <Button leftSection={<IconPlayerPlay size={16} />} loading={busy} onClick={() => setConfirming(true)}>
              {t('archives:actions.runNow')}
            </Button>
          )
        }
      />
      {list.error && <ErrorAlert error={list.error} onRetry={list.reload} />}
      {d && (
        <Stack gap="sm" mb="md">
          <Alert variant="light" color="blue" icon={<IconArchive size={18} />} title={t('archives:rule.title', { count: d.retentionMonths })}>
            <Stack gap={4}>
              <Text size="sm">
                {t('archives:rule.text', { time: d.timeOfDay, zone: zoneLabel(d.timeZone, f.locale), cutoff: f.dateTime(d.cutoff, true) })}
              </Text>
              <Text size="sm">
                {d.nextRunAt ? t('archives:rule.next', { at: f.dateTime(d.nextRunAt, true) }) : t('archives:rule.notScheduled')}
                {d.lastRun && ` ${t('archives:rule.last', { at: f.dateTime(d.lastRun.finishedAt, true), count: d.lastRun.deleted })}`}
              </Text>
              <Group gap="xs">
                <Text size="sm" c="dimmed">
                  {t('archives:folder')} <Code>{d.folder}</Code>
                </Text>
                {isAdmin && (
                  <Anchor component={Link} to="/system/settings?tab=general" size="sm">
                    <Group gap={4} component="span">
                      <IconSettings size={14} />
                      {t('archives:changePeriod')}
                    </Group>
                  </Anchor>
                )}
              </Group>
            </Stack>
          </Alert>
          {running && (
            <Stack gap={4}>
              <Text size="sm">
                {t(`archives:run.${running.phase}`, {
                  month: monthLabel(running.month, f.locale),
                  done: running.monthsDone,
                  total: running.monthsTotal,
                  deleted: f.number(running.deleted),
                })}
              </Text>
              <Progress
                value={running.monthsTotal ? (running.monthsDone / running.monthsTotal) * 100 : 0}
                animated
                aria-label={t('archives:run.progressLabel')}
              />
            </Stack>
          )}
        </Stack>
      )}
      <DataTable<CdrArchive>
        aria-label={t('nav:archives')}
        withTableBorder
        borderRadius="sm"
        striped
        highlightOnHover
        idAccessor="fileName"
        minHeight={d?.archives.length ? 150 : 260}
        records={d?.archives ?? []}
        columns={columns}
        fetching={list.loading && !busy}
        loaderBackgroundBlur={0}
        emptyState={d ? <EmptyState title={t('archives:empty.title')} hint={t('archives:empty.hint', { count: d.retentionMonths })} /> : <span />}
      />
      {d && (
        <ConfirmActionModal
          opened={confirming}
          onClose={() => setConfirming(false)}
          title={t('archives:confirm.title')}
          message={t('archives:confirm.message', { cutoff: f.dateTime(d.cutoff, true), count: d.retentionMonths })}
          confirmLabel={t('archives:actions.runNow')}
          reason="none"
          onConfirm={runNow}
        />
      )}
    </>
  );
}
