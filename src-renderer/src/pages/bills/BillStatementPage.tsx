import { Anchor, Button, Group, Skeleton } from '@mantine/core';
import { IconArrowLeft, IconFileTypePdf, IconPrinter } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { call } from '../../api/client';
import { saveDownload } from '../../api/downloads';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ExportButton } from '../../components/ExportButton';
import { PageHeader } from '../../components/PageHeader';
import { notifyError, notifySuccess } from '../../hooks/notify';
import { useApiQuery } from '../../hooks/useApiQuery';
import { BillStatementView } from './BillStatementView';

/** Printing shows the statement alone: the app's navigation, header and the page's buttons stay off paper. */
const PRINT_CSS = `@media print {
  .mantine-AppShell-navbar, .mantine-AppShell-header, [data-print-hide] { display: none !important; }
  .mantine-AppShell-main { padding: 0 !important; margin: 0 !important; }
  .bill-section { break-inside: avoid; }
}`;

/** One enterprise's monthly statement: on screen, printable (window.print()), as a PDF made by the engine, exportable to .xlsx / .csv. */
export function BillStatementPage() {
  const { t, i18n } = useTranslation();
  const params = useParams();
  const enterpriseId = Number(params.enterpriseId);
  const month = String(params.month ?? '');
  const bill = useApiQuery('bills.get', { enterpriseId, month });
  const language = (i18n.resolvedLanguage ?? '').startsWith('zh') ? 'zh-CN' : 'en';
  const [pdfBusy, setPdfBusy] = useState(false);
  // The PDF is made in the engine, in the language the page is read in, and saved like an export.
  const savePdf = async () => {
    setPdfBusy(true);
    try {
      const ticket = await call('exports.bill', { enterpriseId, month, format: 'pdf', language });
      await saveDownload(ticket);
      notifySuccess(t('common:export.doneNoCount', { fileName: ticket.fileName }));
    } catch (err) {
      notifyError(err, t);
    } finally {
      setPdfBusy(false);
    }
  };
  return (
    <>
      <style>{PRINT_CSS}</style>
      <div data-print-hide>
        <Anchor component={Link} to={`/statistics/bills?month=${month}`} size="sm">
          <Group gap={4}>
            <IconArrowLeft size={14} />
            {t('bills:statement.back')}
          </Group>
        </Anchor>
        <PageHeader
          title={t('bills:statement.title', { month })}
          actions={
            <>
              <Button variant="default" leftSection={<IconPrinter size={16} />} onClick={() => window.print()} disabled={!bill.data}>
                {t('bills:statement.print')}
              </Button>
              <Button variant="default" leftSection={<IconFileTypePdf size={16} />} onClick={() => void savePdf()} loading={pdfBusy} disabled={!bill.data}>
                {t('bills:statement.pdf')}
              </Button>
              <ExportButton onExport={(format) => call('exports.bill', { enterpriseId, month, format, language })} />
            </>
          }
        />
      </div>
      {bill.error && <ErrorAlert error={bill.error} onRetry={bill.reload} />}
      {bill.data ? <BillStatementView bill={bill.data} /> : !bill.error && <Skeleton h={400} />}
    </>
  );
}
