import { Anchor, Card, Grid, Group, SimpleGrid, Skeleton, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { Dashboard } from '../../../../../src-shared/api/statistics';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { MoneyText } from '../../../components/MoneyText';
import { PageHeader } from '../../../components/PageHeader';
import { useApiQuery } from '../../../hooks/useApiQuery';
import { useFormatters } from '../../../hooks/useFormatters';
import { CallTypeBadge } from '../../rating/components/CallTypeBadge';
import { COLUMN_CALL_TYPES } from '../statsColumns';
import { DashboardAlerts } from './DashboardAlerts';
import { DashboardIngest } from './DashboardIngest';
import { SummaryCard } from '../../../components/SummaryCard';

/** `day`: the figures are of that day only (the links keep it); without it, of this month so far. */
function TopEnterprises({ title, rows, day }: { title: string; rows: Dashboard['topEnterprisesToday']; day?: string }) {
  const { t } = useTranslation();
  const f = useFormatters();
  return (
    <Card withBorder padding="md" h="100%">
      <Text fw={600} mb="sm">
        {title}
      </Text>
      {rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('dashboard:top.none')}
        </Text>
      ) : (
        <Table aria-label={title} striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('dashboard:top.enterprise')}</Table.Th>
              <Table.Th ta="right">{t('dashboard:top.calls')}</Table.Th>
              <Table.Th ta="right">{t('dashboard:top.amount')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/statistics/users?enterpriseId=${r.id}${day ? `&from=${day}&to=${day}` : ''}`} size="sm">
                    {r.name}
                  </Anchor>
                </Table.Td>
                <Table.Td ta="right">{f.number(r.calls)}</Table.Td>
                <Table.Td>
                  <MoneyText amount={r.amount} size="sm" />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}

/** Today's calls and charges, alerts, top enterprises and the ingest status per device (UI.md: Dashboard). */
export function DashboardPage() {
  const { t } = useTranslation();
  const f = useFormatters();
  const dashboard = useApiQuery('stats.dashboard', { timeZone: f.timeZone });
  const d = dashboard.data;

  return (
    <>
      <PageHeader title={t('nav:dashboard')} description={t('dashboard:description')} />
      {dashboard.error && <ErrorAlert error={dashboard.error} onRetry={dashboard.reload} />}
      {!d ? (
        <Skeleton h={400} />
      ) : (
        <Stack gap="md">
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <SummaryCard
              label={t('dashboard:cards.todayCalls')}
              value={f.number(d.today.total.calls)}
              lines={[t('dashboard:cards.answered', { count: d.today.total.answered }), t('dashboard:cards.duration', { duration: f.duration(d.today.total.seconds) })]}
            />
            <SummaryCard
              label={t('dashboard:cards.todayAmount')}
              value={<MoneyText amount={d.today.total.amount} fz={28} fw={700} ta="left" />}
              lines={[t('dashboard:cards.yesterday', { calls: f.number(d.yesterday.total.calls), amount: f.money(d.yesterday.total.amount) })]}
            />
            <SummaryCard
              label={t('dashboard:cards.monthAmount')}
              value={<MoneyText amount={d.month.total.amount} fz={28} fw={700} ta="left" />}
              lines={[t('dashboard:cards.monthCalls', { calls: f.number(d.month.total.calls), month: d.month.month })]}
            />
          </SimpleGrid>
          <Grid>
            <Grid.Col span={{ base: 12, md: 6 }}>
              <Card withBorder padding="md" h="100%">
                <Text fw={600} mb="sm">
                  {t('dashboard:byType.title')}
                </Text>
                <Table aria-label={t('dashboard:byType.title')} striped>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th />
                      <Table.Th ta="right">{t('dashboard:byType.calls')}</Table.Th>
                      <Table.Th ta="right">{t('dashboard:byType.duration')}</Table.Th>
                      <Table.Th ta="right">{t('dashboard:byType.amount')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {COLUMN_CALL_TYPES.map((type) => (
                      <Table.Tr key={type}>
                        <Table.Td>
                          <CallTypeBadge callType={type} size="sm" />
                        </Table.Td>
                        <Table.Td ta="right">{f.number(d.today.byType[type].calls)}</Table.Td>
                        <Table.Td ta="right">{f.duration(d.today.byType[type].seconds)}</Table.Td>
                        <Table.Td>
                          <MoneyText amount={d.today.byType[type].amount} size="sm" />
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Card>
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 6 }}>
              <DashboardAlerts alerts={d.alerts} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 6 }}>
              <TopEnterprises title={t('dashboard:top.today')} rows={d.topEnterprisesToday} day={d.today.date} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 6 }}>
              <TopEnterprises title={t('dashboard:top.month')} rows={d.topEnterprisesMonth} />
            </Grid.Col>
          </Grid>
          <DashboardIngest ingest={d.ingest} />
          <Group justify="flex-end">
            <Text size="xs" c="dimmed">
              {f.dateTime(d.at, true)}
            </Text>
          </Group>
        </Stack>
      )}
    </>
  );
}
