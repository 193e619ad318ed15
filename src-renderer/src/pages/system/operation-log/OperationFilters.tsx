import { Badge, CloseButton, Select } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { DateRangeFilter } from '../../../components/DateRangeFilter';
import { FilterBar } from '../../../components/FilterBar';
import { FilterTextInput } from '../../../components/FilterTextInput';
import { useApiQuery } from '../../../hooks/useApiQuery';
import { kindLabel } from './sentence';

/** The filters of the operation log as kept in the URL (strings; '' = not set). */
export const NO_OPERATION_FILTERS = { from: '', to: '', person: '', action: '', target: '', kind: '', id: '' };
export type OperationFilterValues = typeof NO_OPERATION_FILTERS;

type Catalogue = Record<string, Record<string, string>>;

/**
 * The actions a clerk can pick, grouped by area: an area as a whole ("accounts.": every money action), then each
 * action. The list is the catalogue of sentence templates, which a test keeps complete against the contract.
 */
function useActionOptions() {
  const { t, i18n } = useTranslation();
  return useMemo(() => {
    const names = (i18n.getResource(i18n.resolvedLanguage ?? 'en', 'logs', 'actionNames') ?? {}) as Catalogue;
    return Object.entries(names).map(([area, methods]) => {
      const label = i18n.exists(`logs:areas.${area}`) ? t(`logs:areas.${area}`) : area;
      return {
        group: label,
        items: [
          { value: `${area}.`, label: t('logs:filters.allOfArea', { area: label }) },
          ...Object.entries(methods).map(([method, name]) => ({ value: `${area}.${method}`, label: name })),
        ],
      };
    });
  }, [t, i18n, i18n.resolvedLanguage]);
}

/** Time range, person, action (grouped by area) and target (name search; a target picked by kind and id shows as a badge). */
export function OperationFilters({ filters, onChange }: { filters: OperationFilterValues; onChange(patch: Partial<OperationFilterValues>): void }) {
  const { t, i18n } = useTranslation();
  const actors = useApiQuery('logs.operationActors', {});
  const actions = useActionOptions();
  const people = useMemo(
    () =>
      (actors.data ?? []).map((a) => ({
        value: String(a.accountId),
        label: a.accountId === 0 ? t('logs:actors.engine') : a.actorName === a.username ? a.username : `${a.actorName} (${a.username})`,
      })),
    [actors.data, t],
  );
  const active = Object.values(filters).some(Boolean);

  return (
    <FilterBar active={active} onClear={() => onChange(NO_OPERATION_FILTERS)}>
      <DateRangeFilter from={filters.from} to={filters.to} onChange={(from, to) => onChange({ from, to })} />
      <Select
        label={t('logs:filters.person')}
        placeholder={t('logs:filters.anyPerson')}
        data={people}
        value={filters.person || null}
        onChange={(person) => onChange({ person: person ?? '' })}
        clearable
        searchable
        w={200}
      />
      <Select
        label={t('logs:filters.action')}
        placeholder={t('logs:filters.anyAction')}
        data={actions}
        value={filters.action || null}
        onChange={(action) => onChange({ action: action ?? '' })}
        clearable
        searchable
        w={220}
        maxDropdownHeight={360}
      />
      <FilterTextInput
        label={t('logs:filters.target')}
        placeholder={t('logs:filters.targetPlaceholder')}
        value={filters.target}
        onChange={(target) => onChange({ target })}
      />
      {filters.kind && (
        <Badge
          size="lg"
          variant="light"
          rightSection={<CloseButton size="xs" aria-label={t('common:actions.clearFilters')} onClick={() => onChange({ kind: '', id: '' })} />}
        >
          {kindLabel(t, (key) => i18n.exists(key), filters.kind)}
          {filters.id ? ` #${filters.id}` : ''}
        </Badge>
      )}
    </FilterBar>
  );
}
