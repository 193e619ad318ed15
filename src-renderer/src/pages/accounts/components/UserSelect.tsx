import { Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { UserAccount } from '../../../../../src-shared/api/accounts';
import { ANNOUNCED_STALE_MS } from '../../../api/invalidation';
import { useApiQuery } from '../../../hooks/useApiQuery';

interface Option {
  value: string;
  label: string;
}

const optionOf = (u: Pick<UserAccount, 'id' | 'name' | 'enterpriseName'>): Option => ({ value: String(u.id), label: `${u.name} · ${u.enterpriseName}` });

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
  // Names only: a rename is announced, so the answer is reused between pages for a while.
  const found = useApiQuery('userAccounts.list', { q: debounced.trim() || undefined, limit: 50 }, { staleTime: ANNOUNCED_STALE_MS });
  const options = useMemo(() => (found.data?.rows ?? []).map(optionOf), [found.data]);
  // The option last picked here, so its name shows without asking again.
  const [picked, setPicked] = useState<Option | null>(null);

  // The chosen user may not be among the results (e.g. it came from the URL): its name is loaded by id.
  const listed = options.some((o) => o.value === value);
  const needName = Boolean(value) && !listed && picked?.value !== value;
  const chosen = useApiQuery('userAccounts.get', { id: Number(value) }, { enabled: needName, staleTime: ANNOUNCED_STALE_MS });
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
      label={label}
      description={description}
      placeholder={t('accounts:pick.user')}
      data={data}
      value={value || null}
      onChange={(next) => {
        setPicked(data.find((o) => o.value === next) ?? null);
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
