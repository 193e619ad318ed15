import { Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Enterprise } from '../../../../../src-shared/api/accounts';
import { ANNOUNCED_STALE_MS } from '../../../api/invalidation';
import { useApiQuery } from '../../../hooks/useApiQuery';
import { usePermissions } from '../../../session/SessionProvider';

interface Option {
  value: string;
  label: string;
}

const optionOf = (e: Pick<Enterprise, 'id' | 'name' | 'code'>): Option => ({ value: String(e.id), label: e.code ? `${e.name} (${e.code})` : e.name });

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
  // Names only: a rename is announced, so the answer is reused between pages for a while.
  const found = useApiQuery('enterprises.list', { q: debounced.trim() || undefined, limit: 50 }, { staleTime: ANNOUNCED_STALE_MS });
  const options = useMemo(() => (found.data?.rows ?? []).map(optionOf), [found.data]);
  // The option last picked here, so its name shows without asking again.
  const [picked, setPicked] = useState<Option | null>(null);

  // The chosen enterprise may not be among the first results (e.g. it came from the URL): its name is loaded by id.
  const listed = options.some((o) => o.value === value);
  const needName = Boolean(value) && !listed && picked?.value !== value;
  const chosen = useApiQuery('enterprises.get', { id: Number(value) }, { enabled: needName, staleTime: ANNOUNCED_STALE_MS });
  const current: Option | null =
    !value || listed
      ? null
      : picked?.value === value
        ? picked
        : chosen.data?.id === Number(value)
          ? optionOf(chosen.data)
          : chosen.error
            ? { value, label: `#${value}` }
            : null;

  const data = current ? [current, ...options] : options;
  return (
    <Select
      label={label ?? t('accounts:fields.enterprise')}
      description={description}
      placeholder={placeholder ?? t('accounts:pick.enterprise')}
      data={data}
      value={value || null}
      onChange={(next) => {
        setPicked(data.find((o) => o.value === next) ?? null);
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
