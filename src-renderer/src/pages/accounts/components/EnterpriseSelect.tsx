import { Select } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Enterprise } from '../../../../../src-shared/api/accounts';
import { useAccountOptions, type AccountOption } from './useAccountOptions';
import { usePermissions } from '../../../session/SessionProvider';

const optionOf = (e: Pick<Enterprise, 'id' | 'name' | 'code'>): AccountOption => ({ value: String(e.id), label: e.code ? `${e.name} (${e.code})` : e.name });

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
  const { data, search, setSearch, pick } = useAccountOptions('enterprise', value, optionOf);
  return (
    <Select
      label={label ?? t('accounts:fields.enterprise')}
      description={description}
      placeholder={placeholder ?? t('accounts:pick.enterprise')}
      data={data}
      value={value || null}
      onChange={(next) => onChange(pick(next))}
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
