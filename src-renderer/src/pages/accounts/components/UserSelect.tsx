import { Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../../api/client';

interface Option {
  value: string;
  label: string;
}

/** A user account searched by name, code, card or extension, kept as its id (text); shown with its enterprise. */
export function UserSelect({
  value,
  onChange,
  label,
  description,
  error,
}: {
  value: string;
  onChange(value: string): void;
  label: string;
  description?: string;
  error?: string | undefined;
}) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 300);
  const [options, setOptions] = useState<Option[]>([]);
  const [current, setCurrent] = useState<Option | null>(null);

  useEffect(() => {
    let live = true;
    call('userAccounts.list', { q: debounced.trim() || undefined, limit: 50 }).then(
      (page) => live && setOptions(page.rows.map((u) => ({ value: String(u.id), label: `${u.name} · ${u.enterpriseName}` }))),
      () => live && setOptions([]),
    );
    return () => {
      live = false;
    };
  }, [debounced]);

  useEffect(() => {
    if (!value || current?.value === value) return;
    let live = true;
    call('userAccounts.get', { id: Number(value) }).then(
      (u) => live && setCurrent({ value, label: `${u.name} · ${u.enterpriseName}` }),
      () => live && setCurrent({ value, label: `#${value}` }),
    );
    return () => {
      live = false;
    };
  }, [value, current]);

  const data = current && !options.some((o) => o.value === current.value) ? [current, ...options] : options;
  return (
    <Select
      label={label}
      description={description}
      placeholder={t('accounts:pick.user')}
      data={data}
      value={value || null}
      onChange={(next) => {
        setCurrent(data.find((o) => o.value === next) ?? null);
        onChange(next ?? '');
      }}
      searchable
      clearable
      searchValue={search}
      onSearchChange={setSearch}
      nothingFoundMessage={t('accounts:pick.noUser')}
      filter={({ options: all }) => all}
      error={error}
    />
  );
}
