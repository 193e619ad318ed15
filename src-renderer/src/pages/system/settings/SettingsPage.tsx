import { Loader, Tabs } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { PageHeader } from '../../../components/PageHeader';
import { useApiEvent } from '../../../hooks/useApiEvent';
import { useApiQuery } from '../../../hooks/useApiQuery';
import { useUrlFilters } from '../../../hooks/useUrlFilters';
import { BackupSettings } from './BackupSettings';
import { BillingInterfaceSettings } from './BillingInterfaceSettings';
import { GeneralSettings } from './GeneralSettings';
import { WebServerSettings } from './WebServerSettings';

const TABS = ['billingInterface', 'http', 'backup', 'general'] as const;

/** Admin only: billing interface, web server, backups, currency and retention. Each tab saves on its own. */
export function SettingsPage() {
  const { t } = useTranslation();
  const settings = useApiQuery('settings.get', {});
  useApiEvent('settings.changed', () => settings.reload());
  const [filters, setFilters] = useUrlFilters({ tab: 'billingInterface' });
  const tab = (TABS as readonly string[]).includes(filters.tab) ? filters.tab : 'billingInterface';
  const data = settings.data;

  return (
    <>
      <PageHeader title={t('nav:settings')} description={t('settings:description')} />
      {settings.error && <ErrorAlert error={settings.error} onRetry={settings.reload} />}
      {!data && settings.loading && <Loader size="sm" />}
      {data && (
        <Tabs value={tab} onChange={(value) => setFilters({ tab: value ?? 'billingInterface' })} keepMounted={false}>
          <Tabs.List mb="md">
            {TABS.map((name) => (
              <Tabs.Tab key={name} value={name}>
                {t(`settings:tabs.${name}`)}
              </Tabs.Tab>
            ))}
          </Tabs.List>
          <Tabs.Panel value="billingInterface">
            <BillingInterfaceSettings settings={data} onSaved={settings.reload} />
          </Tabs.Panel>
          <Tabs.Panel value="http">
            <WebServerSettings settings={data} onSaved={settings.reload} />
          </Tabs.Panel>
          <Tabs.Panel value="backup">
            <BackupSettings settings={data} onSaved={settings.reload} />
          </Tabs.Panel>
          <Tabs.Panel value="general">
            <GeneralSettings settings={data} onSaved={settings.reload} />
          </Tabs.Panel>
        </Tabs>
      )}
    </>
  );
}
