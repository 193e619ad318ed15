import { BarChart } from '@mantine/charts';
import { Card, Group, SegmentedControl, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { StatsSeries } from '../../../../src-shared/api/statistics';
import { parseMoney } from '../../../../src-shared/domain/money';
import { formatMoneyUnits } from '../../format/money';
import { useFormatters } from '../../hooks/useFormatters';
import { CALL_TYPE_COLORS } from '../rating/components/CallTypeBadge';
import { COLUMN_CALL_TYPES } from './statsColumns';

/** Calls or amount per day of the period, stacked by call type. */
export function StatsChart({ series }: { series: StatsSeries | undefined }) {
  const { t } = useTranslation();
  const f = useFormatters();
  const [measure, setMeasure] = useState<'calls' | 'amount'>('calls');
  const days = series?.days ?? [];
  // Chart heights are display only: amounts become currency units here, never money that is added up again.
  const data = days.map((d) => {
    const point: Record<string, string | number> = { date: d.date.slice(5) };
    for (const type of COLUMN_CALL_TYPES) {
      point[type] = measure === 'calls' ? d.byType[type].calls : parseMoney(d.byType[type].amount) / 10_000;
    }
    return point;
  });
  const empty = days.every((d) => d.total.calls === 0);
  return (
    <Card withBorder padding="sm" mb="md">
      <Group justify="space-between" mb="xs">
        <Text fw={600} size="sm">
          {t('statistics:chart.title')}
        </Text>
        <SegmentedControl
          size="xs"
          value={measure}
          onChange={(v) => setMeasure(v as 'calls' | 'amount')}
          data={[
            { value: 'calls', label: t('statistics:chart.calls') },
            { value: 'amount', label: t('statistics:chart.amount') },
          ]}
        />
      </Group>
      {empty ? (
        <Text c="dimmed" size="sm" py="lg" ta="center">
          {t('statistics:chart.noData')}
        </Text>
      ) : (
        <BarChart
          h={220}
          data={data}
          dataKey="date"
          type="stacked"
          withLegend
          legendProps={{ verticalAlign: 'bottom' }}
          valueFormatter={(v) => (measure === 'calls' ? f.number(v) : formatMoneyUnits(Math.round(v * 10_000), f.locale, f.currency))}
          series={COLUMN_CALL_TYPES.map((type) => ({ name: type, label: t(`rating:callTypes.${type}`), color: `${CALL_TYPE_COLORS[type]}.6` }))}
        />
      )}
    </Card>
  );
}
