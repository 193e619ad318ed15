import { Anchor, Button, Group, Skeleton } from '@mantine/core';
import { IconArrowLeft, IconPrinter } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { call } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ExportButton } from '../../components/ExportButton';
import { PageHeader } from '../../components/PageHeader';
import { useApiQuery } from '../../hooks/useApiQuery';
import { BillStatementView } from './BillStatementView';

/** Printing shows the statement alone: the app's navigation, header and the page's buttons stay off paper. */
const PRINT_CSS = `@media print {
  .mantine-AppShell-navbar, .mantine-AppShell-header, [data-print-hide] { display: none !important; }
  .mantine-AppShell-main { padding: 0 !important; margin: 0 !important; }
  .bill-section { break-inside: avoid; }
}`;

/** One enterprise's monthly statement: on screen, printable (window.print()), exportable to .xlsx / .csv. */
export function BillStatementPage() {
  const { t, i18n } = useTranslation();
  const params = useParams();
  const enterpriseId = Number(params.enterpriseId);
  const month = String(params.month ?? '');
  const bill = useApiQuery('bills.get', { enterpriseId, month });
  const language = (i18n.resolvedLanguage ?? '').startsWith('zh') ? 'zh-CN' : 'en';
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
