import { Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../../api/client';
import { usePermissions } from '../../../session/SessionProvider';

interface Option {
  value: string;
  label: string;
}

type EnterpriseSelectProps = Parameters<typeof AnyEnterpriseSelect>[0];

/** An enterprise's own login has only its own enterprise (the engine puts it in every call): nothing to pick. */
export function EnterpriseSelect(props: EnterpriseSelectProps) {
  const { role } = usePermissions();
  return role === 'enterprise' ? null : <AnyEnterpriseSelect {...props} />;
}

/** An enterprise searched by name or code, kept as its id (text, as URL filters and forms hold it). */
function AnyEnterpriseSelect({
  value,
  onChange,
  label,
  description,
  placeholder,
  nothingFound,
  required,
  clearable = true,
  error,
  width,
}: {
  value: string;
  onChange(value: string): void;
  label?: string;
  description?: string;
  placeholder?: string;
  /** Said when no enterprise matches the search. */
  nothingFound?: string;
  required?: boolean;
  clearable?: boolean;
  error?: string | undefined;
  width?: number;
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

  // The chosen enterprise may not be among the first results: its name is loaded by id.
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
      label={label ?? t('accounts:fields.enterprise')}
      description={description}
      placeholder={placeholder ?? t('accounts:pick.enterprise')}
      data={data}
      value={value || null}
      onChange={(next) => {
        setCurrent(data.find((o) => o.value === next) ?? null);
        onChange(next ?? '');
      }}
      searchable
      clearable={clearable}
      required={required}
      searchValue={search}
      onSearchChange={setSearch}
      nothingFoundMessage={nothingFound ?? t('accounts:pick.noEnterprise')}
      filter={({ options: all }) => all}
      error={error}
      w={width}
    />
  );
}
