import { ActionIcon, Group, Tooltip } from '@mantine/core';
import { MonthPickerInput } from '@mantine/dates';
import { IconChevronLeft, IconChevronRight } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { dayjs, type DayText } from '../../format/time';
import { monthOfRange, monthRange } from './monthRange';

/**
 * A month at a time, the way statistics are read: previous and next month beside a month picker (last month is one
 * click). A range of any days stays with the range filter next to it; while one is chosen the picker is empty and
 * the arrows step from the range's first month.
 */
export function MonthStepper({ from, to, today, onChange }: { from: DayText; to: DayText; today: DayText; onChange(from: DayText, to: DayText): void }) {
  const { t } = useTranslation();
  const month = monthOfRange(from, to, today);
  const base = month ?? from.slice(0, 7);
  const step = (months: number) => {
    const next = dayjs(`${base}-01`).add(months, 'month').format('YYYY-MM');
    const [a, b] = monthRange(next, today);
    onChange(a, b);
  };
  const atCurrentMonth = base >= today.slice(0, 7);
  return (
    <Group gap={4} wrap="nowrap" align="flex-end">
      <Tooltip label={t('period:previousMonth')}>
        <ActionIcon variant="default" size="lg" aria-label={t('period:previousMonth')} onClick={() => step(-1)}>
          <IconChevronLeft size={16} />
        </ActionIcon>
      </Tooltip>
      <MonthPickerInput
        label={t('period:month')}
        placeholder={t('period:customRange')}
        // Digits, as the bills page writes a month: the same in both languages, and narrow.
        valueFormat="YYYY-MM"
        value={month ? `${month}-01` : null}
        maxDate={today}
        onChange={(value) => {
          if (!value) return;
          const [a, b] = monthRange(String(value).slice(0, 7), today);
          onChange(a, b);
        }}
        w={130}
      />
      <Tooltip label={t('period:nextMonth')}>
        <ActionIcon variant="default" size="lg" aria-label={t('period:nextMonth')} disabled={atCurrentMonth} onClick={() => step(1)}>
          <IconChevronRight size={16} />
        </ActionIcon>
      </Tooltip>
    </Group>
  );
}
