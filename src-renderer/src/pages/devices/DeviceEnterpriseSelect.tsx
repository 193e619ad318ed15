import { Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client';

interface Option {
  value: string;
  label: string;
}

/** The enterprise that pays for calls no other account claims: searched by name or code, stored by id. */
export function DeviceEnterpriseSelect({
  value,
  onChange,
  error,
}: {
  value: string;
  onChange(value: string): void;
  error?: string | undefined;
}) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 300);
  const [options, setOptions] = useState<Option[]>([]);
  const [current, setCurrent] = useState<Option | null>(null);

  useEffect(() => {
    let live = true;
    call('enterprises.list', { q: debounced.trim() || undefined, limit: 50 }).then(
      (page) => live && setOptions(page.rows.map((e) => ({ value: String(e.id), label: e.code ? `${e.name} (${e.code})` : e.name }))),
      () => live && setOptions([]),
    );
    return () => {
      live = false;
    };
  }, [debounced]);

  // The stored enterprise may not be among the first results: load it by id for its name.
  useEffect(() => {
    if (!value || current?.value === value) return;
    let live = true;
    call('enterprises.get', { id: Number(value) }).then(
      (e) => live && setCurrent({ value, label: e.code ? `${e.name} (${e.code})` : e.name }),
      () => live && setCurrent({ value, label: `#${value}` }),
    );
    return () => {
      live = false;
    };
  }, [value, current]);

  const data = current && !options.some((o) => o.value === current.value) ? [current, ...options] : options;
  return (
    <Select
      label={t('devices:fields.defaultEnterprise')}
      description={t('devices:help.defaultEnterprise')}
      placeholder={t('devices:help.noEnterprise')}
      data={data}
      value={value || null}
      onChange={(next) => {
        const option = data.find((o) => o.value === next);
        setCurrent(option ?? null);
        onChange(next ?? '');
      }}
      searchable
      clearable
      searchValue={search}
      onSearchChange={setSearch}
      nothingFoundMessage={t('devices:help.noEnterpriseFound')}
      filter={({ options: all }) => all}
      error={error}
    />
  );
}
