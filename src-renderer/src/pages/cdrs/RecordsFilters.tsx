import { Group, Select, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CDR_DISPOSITIONS } from '../../../../src-shared/api/cdrs';
import { CALL_TYPES } from '../../../../src-shared/domain/numbers/classify-call';
import { isMoneyText } from '../../../../src-shared/domain/money';
import { ANNOUNCED_STALE_MS } from '../../api/invalidation';
import { DateRangeFilter } from '../../components/DateRangeFilter';
import { FilterTextInput } from '../../components/FilterTextInput';
import { addDays, dayjs, isDayText, startOfDayIn, type DayText } from '../../format/time';
import { useApiQuery } from '../../hooks/useApiQuery';
import { useFormatters } from '../../hooks/useFormatters';
import { usePermissions } from '../../session/SessionProvider';

/** The filters of the records page as kept in the URL (the drill-down target of the statistics pages). */
export const RECORD_FILTERS = {
  from: '',
  to: '',
  deviceId: '',
  enterpriseId: '',
  userAccountId: '',
  gatewayId: '',
  caller: '',
  callee: '',
  callType: '',
  disposition: '',
  status: '',
  costMin: '',
  costMax: '',
};
export type RecordFilters = typeof RECORD_FILTERS;

/** A URL time: an ISO instant, or a day ("2026-03-02", start of that day in the zone). */
export function urlInstant(value: string, zone: string): string | undefined {
  if (!value) return undefined;
  if (isDayText(value)) return startOfDayIn(value, zone);
  return Number.isNaN(Date.parse(value)) ? undefined : new Date(value).toISOString();
}

/** The URL period as the days the date picker shows: the day of `from`, and the day of the last instant before `to`. */
function pickerDays(from: string, to: string, zone: string): [DayText, DayText] {
  const fromIso = urlInstant(from, zone);
  const toIso = isDayText(to) ? startOfDayIn(addDays(to, 1), zone) : urlInstant(to, zone);
  return [
    fromIso ? dayjs(fromIso).tz(zone).format('YYYY-MM-DD') : '',
    toIso ? dayjs(new Date(Date.parse(toIso) - 1)).tz(zone).format('YYYY-MM-DD') : '',
  ];
}

type AccountKind = 'enterprises' | 'userAccounts' | 'gateways';

/** Picks an enterprise, user or gateway account by name (searched on the server), kept as its id. */
function AccountPicker({
  kind,
  label,
  value,
  enterpriseId,
  onChange,
}: {
  kind: AccountKind;
  label: string;
  value: string;
  enterpriseId?: string;
  onChange(id: string): void;
}) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 300);
  const scope = enterpriseId && kind !== 'enterprises' ? { enterpriseId: Number(enterpriseId) } : {};
  const q = debounced.trim() ? { q: debounced.trim() } : {};
  // Names only: a rename is announced, so the answer is reused between pages for a while.
  const found = useApiQuery(`${kind}.list`, { ...scope, ...q, limit: 50 }, { staleTime: ANNOUNCED_STALE_MS });
  const options = useMemo(() => (found.data?.rows ?? []).map((a) => ({ value: String(a.id), label: a.name })), [found.data]);

  // The chosen account's name when it came from the URL and is not among the options.
  const listed = options.some((o) => o.value === value);
  const chosen = useApiQuery(`${kind}.get`, { id: Number(value) }, { enabled: Boolean(value) && !listed, staleTime: ANNOUNCED_STALE_MS });
  const selectedName = chosen.data?.id === Number(value) ? chosen.data.name : null;

  const data = useMemo(() => {
    if (!value || options.some((o) => o.value === value)) return options;
    return [{ value, label: selectedName ?? `#${value}` }, ...options];
  }, [options, value, selectedName]);

  return (
    <Select
      label={label}
      placeholder={t('cdrs:filters.any')}
      data={data}
      value={value || null}
      onChange={(id) => onChange(id ?? '')}
      searchable
      clearable
      searchValue={search}
      onSearchChange={setSearch}
      nothingFoundMessage={t('cdrs:filters.noAccounts')}
      filter={({ options: all }) => all}
      w={190}
    />
  );
}

function DeviceSelect({ value, onChange }: { value: string; onChange(id: string): void }) {
  const { t } = useTranslation();
  const devices = useApiQuery('devices.list', {});
  return (
    <Select
      label={t('cdrs:fields.device')}
      placeholder={t('cdrs:filters.any')}
      data={(devices.data ?? []).map((d) => ({ value: String(d.id), label: d.name }))}
      value={value || null}
      onChange={(id) => onChange(id ?? '')}
      searchable
      clearable
      w={170}
    />
  );
}

function MoneyInput({ label, value, onChange }: { label: string; value: string; onChange(value: string): void }) {
  const { t } = useTranslation();
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  const valid = text === '' || isMoneyText(text);
  return (
    <TextInput
      label={label}
      value={text}
      w={110}
      inputMode="decimal"
      placeholder="0.00"
      error={valid ? undefined : t('cdrs:filters.badAmount')}
      onChange={(e) => setText(e.currentTarget.value.trim())}
      onBlur={() => valid && onChange(text)}
      onKeyDown={(e) => e.key === 'Enter' && valid && onChange(text)}
    />
  );
}

/** Every filter of the records page; changes go to the URL. */
export function RecordsFilters({ filters, onChange }: { filters: RecordFilters; onChange(patch: Partial<RecordFilters>): void }) {
  const { t } = useTranslation();
  const f = useFormatters();
  // An enterprise's own login has one enterprise (the engine scopes its calls) and no access to devices.
  const staff = usePermissions().role !== 'enterprise';
  const [fromDay, toDay] = pickerDays(filters.from, filters.to, f.timeZone);
  const exact =
    (filters.from && !isDayText(filters.from) && fromDay && urlInstant(filters.from, f.timeZone) !== startOfDayIn(fromDay, f.timeZone)) ||
    (filters.to && !isDayText(filters.to) && toDay && urlInstant(filters.to, f.timeZone) !== startOfDayIn(addDays(toDay, 1), f.timeZone));

  return (
    <>
      <Group align="flex-end" gap="sm" wrap="wrap">
        <DateRangeFilter
          from={fromDay}
          to={toDay}
          onChange={(from, to) =>
            onChange({
              from: from ? startOfDayIn(from, f.timeZone) : '',
              to: to ? startOfDayIn(addDays(to, 1), f.timeZone) : '',
            })
          }
        />
        {staff && <DeviceSelect value={filters.deviceId} onChange={(deviceId) => onChange({ deviceId })} />}
        {staff && (
          <AccountPicker
            kind="enterprises"
            label={t('cdrs:fields.enterprise')}
            value={filters.enterpriseId}
            onChange={(enterpriseId) => onChange({ enterpriseId, userAccountId: '', gatewayId: '' })}
          />
        )}
        <AccountPicker
          kind="userAccounts"
          label={t('cdrs:fields.user')}
          value={filters.userAccountId}
          enterpriseId={filters.enterpriseId}
          onChange={(userAccountId) => onChange({ userAccountId })}
        />
        <AccountPicker
          kind="gateways"
          label={t('cdrs:fields.gateway')}
          value={filters.gatewayId}
          enterpriseId={filters.enterpriseId}
          onChange={(gatewayId) => onChange({ gatewayId })}
        />
      </Group>
      <Group align="flex-end" gap="sm" wrap="wrap" mt="xs">
        <FilterTextInput label={t('cdrs:fields.caller')} placeholder={t('cdrs:filters.prefix')} value={filters.caller} onChange={(caller) => onChange({ caller })} width={140} />
        <FilterTextInput label={t('cdrs:fields.callee')} placeholder={t('cdrs:filters.prefix')} value={filters.callee} onChange={(callee) => onChange({ callee })} width={150} />
        <Select
          label={t('cdrs:fields.callType')}
          placeholder={t('cdrs:filters.any')}
          data={CALL_TYPES.map((type) => ({ value: type, label: t(`rating:callTypes.${type}`) }))}
          value={filters.callType || null}
          onChange={(value) => onChange({ callType: value ?? '' })}
          clearable
          w={140}
        />
        <Select
          label={t('cdrs:fields.disposition')}
          placeholder={t('cdrs:filters.any')}
          data={CDR_DISPOSITIONS.map((d) => ({ value: d, label: t(`cdrs:dispositions.${d}`) }))}
          value={filters.disposition || null}
          onChange={(value) => onChange({ disposition: value ?? '' })}
          clearable
          w={130}
        />
        <Select
          label={t('cdrs:fields.status')}
          placeholder={t('cdrs:filters.any')}
          data={['rated', 'unrated', 'pending', 'rejected'].map((s) => ({ value: s, label: t(`cdrs:statuses.${s}`) }))}
          value={filters.status || null}
          onChange={(value) => onChange({ status: value ?? '' })}
          clearable
          w={150}
        />
        <MoneyInput label={t('cdrs:fields.costMin')} value={filters.costMin} onChange={(costMin) => onChange({ costMin })} />
        <MoneyInput label={t('cdrs:fields.costMax')} value={filters.costMax} onChange={(costMax) => onChange({ costMax })} />
      </Group>
      {exact && (
        <Text size="xs" c="dimmed" mt={4}>
          {t('cdrs:filters.exactPeriod', {
            from: filters.from ? f.dateTime(urlInstant(filters.from, f.timeZone)!) : '…',
            to: filters.to ? f.dateTime(urlInstant(filters.to, f.timeZone)!) : '…',
          })}
        </Text>
      )}
    </>
  );
}
