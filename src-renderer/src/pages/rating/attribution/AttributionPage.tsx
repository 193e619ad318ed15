import { Alert, Tabs } from '@mantine/core';
import { IconDatabase, IconFileImport, IconHistory, IconStar } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { PageHeader } from '../../../components/PageHeader';
import { useApiQuery } from '../../../hooks/useApiQuery';
import { useUrlFilters } from '../../../hooks/useUrlFilters';
import { usePermissions } from '../../../session/SessionProvider';
import { AttributionDataTab } from './AttributionDataTab';
import { AttributionImportTab } from './AttributionImportTab';
import { AttributionVersionsTab } from './AttributionVersionsTab';
import { SpecialNumbersTab } from './SpecialNumbersTab';

/** Billing → Number attribution: search, import, export and versions of the data, and the special numbers. */
export function AttributionPage() {
  const { t } = useTranslation();
  const { canWrite } = usePermissions();
  const [{ tab }, setTab] = useUrlFilters({ tab: 'data' });
  const status = useApiQuery('attribution.status', {});
  const loading = status.data?.state === 'loading';
  return (
    <>
      <PageHeader title={t('nav:attribution')} description={t('attribution:description')} />
      {status.error && <ErrorAlert error={status.error} onRetry={status.reload} />}
      {loading && (
        <Alert color="blue" variant="light" mb="md" title={t('attribution:status.loadingTitle')}>
          {t('attribution:status.loading')}
        </Alert>
      )}
      {status.data?.state === 'failed' && (
        <Alert color="red" variant="light" mb="md" title={t('attribution:status.failedTitle')}>
          {t('attribution:status.failed', { message: status.data.message ?? '' })}
        </Alert>
      )}
      <Tabs value={tab} onChange={(next) => setTab({ tab: next ?? 'data' })} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="data" leftSection={<IconDatabase size={16} />}>
            {t('attribution:tabs.data')}
          </Tabs.Tab>
          {canWrite && (
            <Tabs.Tab value="import" leftSection={<IconFileImport size={16} />}>
              {t('attribution:tabs.import')}
            </Tabs.Tab>
          )}
          <Tabs.Tab value="versions" leftSection={<IconHistory size={16} />}>
            {t('attribution:tabs.versions')}
          </Tabs.Tab>
          <Tabs.Tab value="special" leftSection={<IconStar size={16} />}>
            {t('attribution:tabs.special')}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="data">
          <AttributionDataTab countries={status.data?.countries ?? []} />
        </Tabs.Panel>
        {canWrite && (
          <Tabs.Panel value="import">
            <AttributionImportTab
              onImported={() => {
                status.reload();
              }}
            />
          </Tabs.Panel>
        )}
        <Tabs.Panel value="versions">
          <AttributionVersionsTab />
        </Tabs.Panel>
        <Tabs.Panel value="special">
          <SpecialNumbersTab canWrite={canWrite} />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
