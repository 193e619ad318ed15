import { DatePickerInput, type DatePickerPreset } from '@mantine/dates';
import { IconCalendar } from '@tabler/icons-react';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { addDays, dayjs, todayIn, type DayText } from '../format/time';
import { useFormatters } from '../hooks/useFormatters';

type Range = [DayText | null, DayText | null];

/** Common periods, counted in the chosen time zone (a clerk's "yesterday" is not UTC's), as clerks ask for them. */
export function rangePresets(zone: string, label: (key: string) => string, at?: Date): DatePickerPreset<'range'>[] {
  const today = todayIn(zone, at);
  const monthStart = dayjs(today).startOf('month');
  const lastMonthStart = monthStart.subtract(1, 'month');
  const yearStart = dayjs(today).startOf('year');
  const day = (d: dayjs.Dayjs) => d.format('YYYY-MM-DD');
  return [
    { value: [today, today], label: label('today') },
    { value: [addDays(today, -1), addDays(today, -1)], label: label('yesterday') },
    { value: [addDays(today, -6), today], label: label('last7Days') },
    { value: [addDays(today, -29), today], label: label('last30Days') },
    { value: [day(monthStart), today], label: label('thisMonth') },
    { value: [day(lastMonthStart), day(monthStart.subtract(1, 'day'))], label: label('lastMonth') },
    { value: [day(yearStart), today], label: label('thisYear') },
    { value: [day(yearStart.subtract(1, 'year')), day(yearStart.subtract(1, 'day'))], label: label('lastYear') },
  ];
}

/**
 * A range of whole days with presets. The caller keeps `from`/`to` (days, "2026-03-02") in the URL and turns them
 * into instants with `dayRangeToInstants` in the same zone.
 */
export function DateRangeFilter({
  from,
  to,
  onChange,
  label,
}: {
  from: DayText;
  to: DayText;
  onChange(from: DayText, to: DayText): void;
  label?: string;
}) {
  const { t } = useTranslation();
  const f = useFormatters();
  // A half-picked range (first day clicked) lives here until the second day is picked.
  const [draft, setDraft] = useState<Range>([from || null, to || null]);
  useEffect(() => setDraft([from || null, to || null]), [from, to]);
  const presets = useMemo(() => rangePresets(f.timeZone, (key) => t(`common:dateRange.${key}`)), [f.timeZone, t]);

  return (
    <DatePickerInput
      type="range"
      label={label ?? t('common:dateRange.label')}
      description={t('common:dateRange.zone', { zone: f.zone })}
      placeholder={t('common:dateRange.any')}
      leftSection={<IconCalendar size={16} />}
      valueFormat="YYYY-MM-DD"
      clearable
      allowSingleDateInRange
      presets={presets}
      value={draft}
      onChange={(value) => {
        const next: Range = [value[0] ? String(value[0]) : null, value[1] ? String(value[1]) : null];
        setDraft(next);
        if ((next[0] && next[1]) || (!next[0] && !next[1])) onChange(next[0] ?? '', next[1] ?? '');
      }}
      miw={250}
    />
  );
}
