import { ActionIcon, Button, Group, NumberInput, Table, Text, TextInput } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { currencySymbol } from '../../../format/money';
import { useFormatters } from '../../../hooks/useFormatters';
import type { IntervalRow } from './rate-form-values';

/** A rate's intervals as a small table: from (s), price, per (s), increment (s); errors come by path "intervals.N.field". */
export function IntervalsEditor({
  rows,
  errors,
  onChange,
}: {
  rows: IntervalRow[];
  errors: Record<string, string>;
  onChange(rows: IntervalRow[]): void;
}) {
  const { t } = useTranslation();
  const f = useFormatters();
  const set = (index: number, patch: Partial<IntervalRow>) => onChange(rows.map((r, i) => (i === index ? { ...r, ...patch } : r)));
  const add = () => {
    const last = rows.at(-1);
    const nextStart = last ? (Number(last.start) || 0) + (Number(last.unit) || 60) : 0;
    onChange([...rows, { start: nextStart, price: last?.price ?? '0', unit: 60, increment: 60 }]);
  };
  const error = (i: number, field: string) => errors[`intervals.${i}.${field}`];
  return (
    <div>
      <Text fw={600} size="sm" mb={4}>
        {t('rating:fields.intervals')}
      </Text>
      <Text size="xs" c="dimmed" mb={6}>
        {t('rating:intervalsHelp')}
      </Text>
      {errors.intervals && (
        <Text size="xs" c="red" mb={4}>
          {errors.intervals}
        </Text>
      )}
      <Table withTableBorder verticalSpacing={4} aria-label={t('rating:fields.intervals')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('rating:interval.start')}</Table.Th>
            <Table.Th>{t('rating:interval.price')}</Table.Th>
            <Table.Th>{t('rating:interval.unit')}</Table.Th>
            <Table.Th>{t('rating:interval.increment')}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row, i) => (
            <Table.Tr key={i}>
              <Table.Td>
                <NumberInput size="xs" min={0} allowDecimal={false} aria-label={t('rating:interval.startNamed', { n: i + 1 })} value={row.start} error={error(i, 'start')} onChange={(v) => set(i, { start: v })} />
              </Table.Td>
              <Table.Td>
                <TextInput size="xs" leftSection={currencySymbol(f.locale, f.currency)} aria-label={t('rating:interval.priceNamed', { n: i + 1 })} value={row.price} error={error(i, 'price')} onChange={(e) => set(i, { price: e.currentTarget.value })} />
              </Table.Td>
              <Table.Td>
                <NumberInput size="xs" min={1} allowDecimal={false} aria-label={t('rating:interval.unitNamed', { n: i + 1 })} value={row.unit} error={error(i, 'unit')} onChange={(v) => set(i, { unit: v })} />
              </Table.Td>
              <Table.Td>
                <NumberInput size="xs" min={1} allowDecimal={false} aria-label={t('rating:interval.incrementNamed', { n: i + 1 })} value={row.increment} error={error(i, 'increment')} onChange={(v) => set(i, { increment: v })} />
              </Table.Td>
              <Table.Td w={36}>
                <ActionIcon variant="subtle" color="red" disabled={rows.length === 1} aria-label={t('rating:interval.remove', { n: i + 1 })} onClick={() => onChange(rows.filter((_, n) => n !== i))}>
                  <IconTrash size={14} />
                </ActionIcon>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Group mt={6}>
        <Button size="compact-xs" variant="light" leftSection={<IconPlus size={12} />} onClick={add}>
          {t('rating:interval.add')}
        </Button>
      </Group>
    </div>
  );
}
