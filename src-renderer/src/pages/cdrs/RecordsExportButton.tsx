import { Button, Group, Menu, Progress, Text } from '@mantine/core';
import { IconChevronDown, IconDownload, IconX } from '@tabler/icons-react';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InputOf } from '../../../../src-shared/api';
import { ApiError } from '../../../../src-shared/api/errors';
import { call } from '../../api/client';
import { saveDownload } from '../../api/downloads';
import { notifyError, notifySuccess } from '../../hooks/notify';
import { useApiEvent } from '../../hooks/useApiEvent';
import { useFormatters } from '../../hooks/useFormatters';

type ExportFilter = Omit<InputOf<'exports.cdrs'>, 'format' | 'timeZone' | 'exportId' | 'language' | 'rowsPerSheet'>;

interface Running {
  exportId: string;
  rows: number;
  fraction: number;
  cancelling: boolean;
}

/** Export of the CDR view (its filters) to Excel or CSV, with progress while the engine writes it and a cancel button. */
export function RecordsExportButton({ filter }: { filter: ExportFilter }) {
  const { t, i18n } = useTranslation();
  const f = useFormatters();
  const [running, setRunning] = useState<Running | null>(null);
  const current = useRef<string | null>(null);

  useApiEvent('exports.progress', (p) => {
    if (p.exportId !== current.current || p.state !== 'running') return;
    setRunning((r) => (r && r.exportId === p.exportId ? { ...r, rows: p.rows, fraction: p.fraction } : r));
  });

  const run = async (format: 'xlsx' | 'csv') => {
    // Random, not time-based: only tells this run's progress events from another tab's (crypto.randomUUID needs HTTPS).
    const exportId = `cdrs-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
    current.current = exportId;
    setRunning({ exportId, rows: 0, fraction: 0, cancelling: false });
    try {
      const language = (i18n.resolvedLanguage ?? 'en').startsWith('zh') ? 'zh-CN' : 'en';
      const ticket = await call('exports.cdrs', { ...filter, format, timeZone: f.timeZone, language, exportId });
      await saveDownload(ticket);
      notifySuccess(t('common:export.done', { fileName: ticket.fileName, count: ticket.rows ?? 0 }));
    } catch (err) {
      if (err instanceof ApiError && (err.details as { cancelled?: boolean } | undefined)?.cancelled) notifySuccess(t('cdrs:export.cancelled'));
      else notifyError(err, t);
    } finally {
      current.current = null;
      setRunning(null);
    }
  };

  const cancel = async () => {
    if (!running) return;
    setRunning({ ...running, cancelling: true });
    try {
      await call('exports.cancel', { exportId: running.exportId });
    } catch (err) {
      notifyError(err, t);
    }
  };

  if (running) {
    return (
      <Group gap="xs" wrap="nowrap" aria-label={t('cdrs:export.running')} role="status">
        <div style={{ width: 180 }}>
          <Progress value={Math.round(running.fraction * 100)} size="lg" animated aria-label={t('cdrs:export.progress')} />
          <Text size="xs" c="dimmed" mt={2}>
            {t('cdrs:export.rowsWritten', { count: running.rows, rows: f.number(running.rows) })}
          </Text>
        </div>
        <Button variant="default" size="xs" leftSection={<IconX size={14} />} loading={running.cancelling} onClick={() => void cancel()}>
          {t('cdrs:export.cancel')}
        </Button>
      </Group>
    );
  }
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button variant="default" leftSection={<IconDownload size={16} />} rightSection={<IconChevronDown size={14} />}>
          {t('common:export.button')}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item onClick={() => void run('xlsx')}>{t('common:export.xlsx')}</Menu.Item>
        <Menu.Item onClick={() => void run('csv')}>{t('common:export.csv')}</Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
