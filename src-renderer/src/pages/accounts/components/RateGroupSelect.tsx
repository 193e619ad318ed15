import { Select } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useApiQuery } from '../../../hooks/useApiQuery';

/** A rate group by id (text); `emptyLabel` names what no choice means (e.g. "the enterprise's"). */
export function RateGroupSelect({
  value,
  onChange,
  label,
  description,
  required,
  emptyLabel,
  error,
}: {
  value: string;
  onChange(value: string): void;
  label: string;
  description?: string;
  required?: boolean;
  emptyLabel?: string;
  error?: string | undefined;
}) {
  const { t } = useTranslation();
  const groups = useApiQuery('rateGroups.list', {});
  return (
    <Select
      label={label}
      description={description}
      placeholder={emptyLabel ?? t('accounts:pick.rateGroup')}
      data={(groups.data ?? []).map((g) => ({ value: String(g.id), label: g.name }))}
      value={value || null}
      onChange={(next) => onChange(next ?? '')}
      required={required}
      clearable={!required}
      searchable
      error={error}
    />
  );
}

/** The name of a rate group by id, for tables. */
export function useRateGroupNames(): (id: number | null) => string {
  const groups = useApiQuery('rateGroups.list', {});
  return (id) => (id === null ? '' : (groups.data?.find((g) => g.id === id)?.name ?? `#${id}`));
}
