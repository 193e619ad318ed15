/**
 * How the date pickers write months and years, per UI language. Mantine's defaults come from dayjs's month names,
 * which in zh-cn give "十二月 2026" in the calendar's header while the month list says "3月": Chinese writes the year
 * first with its own characters ("2026年12月"). Set once as theme defaults (App.tsx) so every picker agrees.
 */
export function datePickerLabels(language: string): Record<string, string> {
  return language.toLowerCase().startsWith('zh')
    ? { monthLabelFormat: 'YYYY年M月', yearLabelFormat: 'YYYY年', monthsListFormat: 'M月', yearsListFormat: 'YYYY年' }
    : { monthLabelFormat: 'MMMM YYYY', yearLabelFormat: 'YYYY', monthsListFormat: 'MMM', yearsListFormat: 'YYYY' };
}

/** The pickers that take the label formats (each reads its own theme defaults). */
export const DATE_PICKER_COMPONENTS = [
  'Calendar',
  'DatePicker',
  'DatePickerInput',
  'DateInput',
  'DateTimePicker',
  'MonthPicker',
  'MonthPickerInput',
  'YearPicker',
  'YearPickerInput',
] as const;
