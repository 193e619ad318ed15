import { Badge, Card, SimpleGrid, Skeleton, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import { MoneyText } from '../../components/MoneyText';
import { PageHeader } from '../../components/PageHeader';
import { SummaryCard } from '../../components/SummaryCard';
import { useApiQuery } from '../../hooks/useApiQuery';
import { useFormatters } from '../../hooks/useFormatters';
import { CallTypeBadge } from '../rating/components/CallTypeBadge';
import { COLUMN_CALL_TYPES } from '../statistics/statsColumns';

/**
 * The enterprise login's home: its balance, this month's usage and its alerts. The engine answers
 * `enterprises.dashboard` for the caller's own enterprise only, whatever is asked.
 */
export function EnterpriseDashboardPage() {
  const { t } = useTranslation();
  const f = useFormatters();
  const dash = useApiQuery('enterprises.dashboard', { timeZone: f.timeZone });
  const d = dash.data;
  return (
    <>
      <PageHeader title={d ? d.enterprise.name : t('portal:dashboard.title')} description={t('portal:dashboard.description')} />
      {dash.error && <ErrorAlert error={dash.error} onRetry={dash.reload} />}
      {!d && !dash.error && <Skeleton h={240} />}
      {d && (
        <Stack gap="md">
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
            <SummaryCard label={t('portal:dashboard.balance')} lines={[d.enterprise.billingMode === 'prepaid' ? t('portal:dashboard.available', { amount: f.money(d.enterprise.available) }) : t('portal:dashboard.postpaid')]} value={<MoneyText amount={d.enterprise.balance} inherit ta="left" />} />
            <SummaryCard label={t('portal:dashboard.status')} lines={[]} value={<Badge size="lg" color={d.enterprise.status === 'frozen' ? 'red' : d.enterprise.alertState === 'ok' ? 'green' : 'orange'}>
                {d.enterprise.status === 'frozen' ? t('portal:dashboard.frozen') : t(`portal:dashboard.alert.${d.enterprise.alertState}`)}
              </Badge>} />
            <SummaryCard label={t('portal:dashboard.today')} lines={[t('portal:dashboard.calls', { count: d.today.total.calls })]} value={<MoneyText amount={d.today.total.amount} inherit ta="left" />} />
            <SummaryCard label={t('portal:dashboard.month', { month: d.month.month })} lines={[t('portal:dashboard.calls', { count: d.month.total.calls })]} value={<MoneyText amount={d.month.total.amount} inherit ta="left" />} />
          </SimpleGrid>
          <Card withBorder>
            <Text fw={600} mb="xs">
              {t('portal:dashboard.byType')}
            </Text>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('portal:dashboard.callType')}</Table.Th>
                  <Table.Th ta="right">{t('portal:dashboard.callsColumn')}</Table.Th>
                  <Table.Th ta="right">{t('portal:dashboard.duration')}</Table.Th>
                  <Table.Th ta="right">{t('portal:dashboard.amount')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {COLUMN_CALL_TYPES.map((type) => (
                  <Table.Tr key={type}>
                    <Table.Td>
                      <CallTypeBadge callType={type} />
                    </Table.Td>
                    <Table.Td ta="right">{f.number(d.month.byType[type].calls)}</Table.Td>
                    <Table.Td ta="right">{f.duration(d.month.byType[type].seconds)}</Table.Td>
                    <Table.Td ta="right">
                      <MoneyText amount={d.month.byType[type].amount} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Card>
          <Card withBorder>
            <Text fw={600} mb="xs">
              {t('portal:dashboard.alerts')}
            </Text>
            {d.alerts.length === 0 ? (
              <Text c="dimmed" size="sm">
                {t('portal:dashboard.noAlerts')}
              </Text>
            ) : (
              d.alerts.map((a) => (
                <Text key={a.id} size="sm">
                  {a.name}: {a.status === 'frozen' ? t('portal:dashboard.frozen') : t(`portal:dashboard.alert.${a.alertState}`)} ({f.money(a.balance)})
                </Text>
              ))
            )}
          </Card>
        </Stack>
      )}
    </>
  );
}
