import { Group, NumberInput, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatMoney } from '../../../../../src-shared/domain/money';
import type { Tariff } from '../../../../../src-shared/domain/rating/rate';
import { rateCall } from '../../../../../src-shared/domain/rating/rate-call';
import { MoneyText } from '../../../components/MoneyText';
import { useFormatters } from '../../../hooks/useFormatters';
import { SAMPLE_DURATIONS } from './rate-form-values';

/** What the rate charges for sample durations, computed by the same rating core the engine uses. */
export function RatePreview({ tariff }: { tariff: Tariff | null }) {
  const { t } = useTranslation();
  const f = useFormatters();
  const [custom, setCustom] = useState<number | string>(600);
  const durations = [...SAMPLE_DURATIONS, ...(typeof custom === 'number' && custom >= 0 ? [custom] : [])];
  return (
    <div>
      <Group justify="space-between" align="flex-end" mb={4}>
        <Text fw={600} size="sm">
          {t('rating:preview.title')}
        </Text>
        <NumberInput size="xs" w={140} label={t('rating:preview.custom')} min={0} max={864000} allowDecimal={false} value={custom} onChange={setCustom} />
      </Group>
      {!tariff ? (
        <Text size="sm" c="dimmed">
          {t('rating:preview.incomplete')}
        </Text>
      ) : (
        <Table striped withTableBorder fz="sm" aria-label={t('rating:preview.title')} data-testid="rate-preview">
          <Table.Thead>
            <Table.Tr>
              <Table.Th ta="right">{t('rating:preview.duration')}</Table.Th>
              <Table.Th ta="right">{t('rating:preview.billedSeconds')}</Table.Th>
              <Table.Th ta="right">{t('rating:preview.cost')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {durations.map((seconds, i) => {
              let cell: { billed: number; cost: string } | null = null;
              try {
                const charge = rateCall(tariff, seconds);
                cell = { billed: charge.billedSeconds, cost: formatMoney(charge.cost) };
              } catch {
                cell = null;
              }
              return (
                <Table.Tr key={`${i}-${seconds}`}>
                  <Table.Td ta="right">
                    {t('rating:secondsShort', { n: seconds })} ({f.duration(seconds)})
                  </Table.Td>
                  <Table.Td ta="right">{cell ? t('rating:secondsShort', { n: cell.billed }) : '—'}</Table.Td>
                  <Table.Td>{cell ? <MoneyText amount={cell.cost} size="sm" /> : '—'}</Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
    </div>
  );
}
