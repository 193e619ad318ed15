import { Select } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { UserAccount } from '../../../../../src-shared/api/accounts';
import { useAccountOptions, type AccountOption } from './useAccountOptions';

const optionOf = (u: Pick<UserAccount, 'id' | 'name' | 'enterpriseName'>): AccountOption => ({ value: String(u.id), label: `${u.name} · ${u.enterpriseName}` });

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
  const { data, search, setSearch, pick } = useAccountOptions('user', value, optionOf);
  return (
    <Select
      label={label}
      description={description}
      placeholder={t('accounts:pick.user')}
      data={data}
      value={value || null}
      onChange={(next) => onChange(pick(next))}
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
