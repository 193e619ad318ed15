import { DatePickerInput } from '@mantine/dates';
import { IconCalendar } from '@tabler/icons-react';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { rangePresets } from '../format/rangePresets';
import type { DayText } from '../format/time';
import { useFormatters } from '../hooks/useFormatters';

type Range = [DayText | null, DayText | null];

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
