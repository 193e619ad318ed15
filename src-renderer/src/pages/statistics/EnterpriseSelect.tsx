import { Select } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useApiQuery } from '../../hooks/useApiQuery';
import { usePermissions } from '../../session/SessionProvider';

type Props = { value: string; onChange(id: string): void; label?: string };

/** Picks one enterprise by name; an enterprise's own login has only its own, which the engine puts in every call. */
export function EnterpriseSelect(props: Props) {
  const { role } = usePermissions();
  return role === 'enterprise' ? null : <AnyEnterpriseSelect {...props} />;
}

/** Picks one enterprise by name (all of them are loaded: a site has hundreds, not thousands); '' = all. */
function AnyEnterpriseSelect({ value, onChange, label }: Props) {
  const { t } = useTranslation();
  const enterprises = useApiQuery('enterprises.list', { limit: 1000 });
  const data = (enterprises.data?.rows ?? []).map((e) => ({ value: String(e.id), label: e.name }));
  return (
    <Select
      label={label ?? t('statistics:filters.enterprise')}
      placeholder={t('statistics:filters.allEnterprises')}
      data={data}
      value={value || null}
      onChange={(v) => onChange(v ?? '')}
      searchable
      clearable
      nothingFoundMessage={t('statistics:empty.title')}
      miw={220}
    />
  );
}
