import { Button, Menu } from '@mantine/core';
import { IconChevronDown, IconDownload } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DownloadTicket } from '../../../src-shared/api/downloads';
import { currentLanguage, type Language } from '../../i18n';
import { saveDownload } from '../api/downloads';
import { notifyError, notifySuccess } from '../hooks/notify';

export type ExportFormat = 'xlsx' | 'csv';

/**
 * "Export" for what a list shows: the page passes its current filters to its export method, e.g.
 * `<ExportButton onExport={(format, language) => call('logs.exportLogin', { ...query, format, timeZone, language })} />`;
 * the file is prepared by the engine, in the language the clerk reads the app in (headings, values), and then saved.
 */
export function ExportButton({ onExport }: { onExport(format: ExportFormat, language: Language): Promise<DownloadTicket> }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);

  const run = async (format: ExportFormat) => {
    setBusy(true);
    try {
      const ticket = await onExport(format, currentLanguage());
      await saveDownload(ticket);
      notifySuccess(
        ticket.rows === undefined
          ? t('common:export.doneNoCount', { fileName: ticket.fileName })
          : t('common:export.done', { fileName: ticket.fileName, count: ticket.rows }),
      );
    } catch (err) {
      notifyError(err, t);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button
          variant="default"
          leftSection={<IconDownload size={16} />}
          rightSection={<IconChevronDown size={14} />}
          loading={busy}
        >
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
