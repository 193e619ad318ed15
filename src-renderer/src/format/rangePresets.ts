import type { DatePickerPreset } from '@mantine/dates';
import { addDays, dayjs, todayIn } from './time';

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
