import { ActionIcon, Group, Stack, Text, Tooltip } from '@mantine/core';
import { IconPencil, IconTrash } from '@tabler/icons-react';
import { DataTable, type DataTableColumn } from 'mantine-datatable';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { RateRecord } from '../../../../../src-shared/api/rating';
import { EmptyState } from '../../../components/EmptyState';
import { MoneyText } from '../../../components/MoneyText';
import { useFormatters } from '../../../hooks/useFormatters';
import { CallTypeBadge } from '../components/CallTypeBadge';

/** The rates of a group: what each matches (type, prefix, band, date) and what it charges. */
export function RatesTable({
  rates,
  loading,
  canWrite,
  onEdit,
  onDelete,
  emptyAction,
}: {
  rates: RateRecord[] | undefined;
  loading: boolean;
  canWrite: boolean;
  onEdit(rate: RateRecord): void;
  onDelete(rate: RateRecord): void;
  emptyAction?: ReactNode;
}) {
  const { t } = useTranslation();
  const f = useFormatters();
  const columns: DataTableColumn<RateRecord>[] = [
    { accessor: 'callType', title: t('rating:fields.callType'), noWrap: true, render: (r) => <CallTypeBadge callType={r.callType} size="sm" /> },
    {
      accessor: 'prefix',
      title: t('rating:fields.prefix'),
      render: (r) =>
        r.prefix ? (
          <Text ff="monospace" size="sm">
            {r.prefix}
          </Text>
        ) : (
          <Text c="dimmed" size="sm">
            {t('rating:defaultPrefix')}
          </Text>
        ),
    },
    { accessor: 'name', title: t('rating:fields.name'), render: (r) => <Text fw={500} size="sm">{r.name}</Text> },
    {
      accessor: 'intervals',
      title: t('rating:fields.intervals'),
      render: (r) => (
        <Stack gap={0}>
          {r.intervals.map((i, n) => (
            <Text key={n} size="xs" style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>
              {t('rating:intervalShort', { start: i.start, price: f.money(i.price), unit: i.unit, increment: i.increment })}
            </Text>
          ))}
        </Stack>
      ),
    },
    { accessor: 'connectFee', title: t('rating:fields.connectFee'), textAlign: 'right', render: (r) => <MoneyText amount={r.connectFee} size="sm" /> },
    {
      accessor: 'freeSeconds',
      title: t('rating:freeMin'),
      textAlign: 'right',
      noWrap: true,
      render: (r) => t('rating:freeMinValue', { free: r.freeSeconds, min: r.minSeconds }),
    },
    {
      // When the rate applies: its time band over its effective date (one column, so the table fits 1366 pixels).
      accessor: 'timeBand',
      title: t('rating:fields.applies'),
      render: (r) => (
        <Stack gap={0}>
          {r.timeBand ? (
            <Text size="xs">
              {r.timeBand.days.map((d) => t(`rating:days.${d}`)).join(' ')} {r.timeBand.from}–{r.timeBand.to}
            </Text>
          ) : (
            <Text size="xs" c="dimmed">
              {t('rating:anyTime')}
            </Text>
          )}
          {r.effectiveFrom ? (
            <Text size="xs" style={{ whiteSpace: 'nowrap' }}>
              {t('rating:fromDate', { date: f.dateTime(r.effectiveFrom) })}
            </Text>
          ) : (
            <Text size="xs" c="dimmed">
              {t('rating:always')}
            </Text>
          )}
        </Stack>
      ),
    },
    ...(canWrite
      ? [
          {
            accessor: 'actions',
            title: t('common:actions.label'),
            textAlign: 'right' as const,
            render: (r: RateRecord) => (
              <Group gap={4} justify="flex-end" wrap="nowrap">
                <Tooltip label={t('common:actions.edit')}>
                  <ActionIcon variant="subtle" aria-label={t('rating:actions.editRateNamed', { name: r.name })} onClick={() => onEdit(r)}>
                    <IconPencil size={16} />
                  </ActionIcon>
                </Tooltip>
                <Tooltip label={t('rating:actions.deleteRate')}>
                  <ActionIcon variant="subtle" color="red" aria-label={t('rating:actions.deleteRateNamed', { name: r.name })} onClick={() => onDelete(r)}>
                    <IconTrash size={16} />
                  </ActionIcon>
                </Tooltip>
              </Group>
            ),
          },
        ]
      : []),
  ];
  return (
    <DataTable<RateRecord>
      aria-label={t('rating:ratesTable')}
      withTableBorder
      borderRadius="sm"
      striped
      highlightOnHover
      verticalAlign="top"
      minHeight={rates?.length ? 120 : 240}
      records={rates ?? []}
      columns={columns}
      fetching={loading}
      loaderBackgroundBlur={0}
      emptyState={rates ? <EmptyState title={t('rating:emptyRates.title')} hint={t('rating:emptyRates.hint')} action={emptyAction} /> : <span />}
    />
  );
}
