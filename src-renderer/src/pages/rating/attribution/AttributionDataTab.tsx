import { Badge, Button, Card, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import type { DataTableColumn } from 'mantine-datatable';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AttributionEntry, AttributionLookup } from '../../../../../src-shared/api/attribution';
import { call } from '../../../api/client';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { ExportButton } from '../../../components/ExportButton';
import { FilterBar } from '../../../components/FilterBar';
import { FilterTextInput } from '../../../components/FilterTextInput';
import { PagedDataTable } from '../../../components/PagedDataTable';
import { useFormatters } from '../../../hooks/useFormatters';
import { useKeysetPages } from '../../../hooks/useKeysetPages';
import { useUrlFilters } from '../../../hooks/useUrlFilters';

const PAGE_SIZE = 50;
const NO_FILTERS = { country: '', prefix: '', region: '', areaCode: '', carrier: '', kind: '' };

export function AttributionDataTab({ countries }: { countries: { countryCode: string; rows: number }[] }) {
  const { t, i18n } = useTranslation();
  const f = useFormatters();
  const [filters, setFilters] = useUrlFilters(NO_FILTERS);
  const query = useMemo(
    () => ({
      ...(filters.country ? { countryCode: filters.country } : {}),
      ...(filters.prefix ? { prefix: filters.prefix } : {}),
      ...(filters.region ? { region: filters.region } : {}),
      ...(filters.areaCode ? { areaCode: filters.areaCode } : {}),
      ...(filters.carrier ? { carrier: filters.carrier } : {}),
      ...(filters.kind === 'mobile' || filters.kind === 'fixed' ? { kind: filters.kind as 'mobile' | 'fixed' } : {}),
    }),
    [filters],
  );
  const pages = useKeysetPages('attribution.list', { ...query, limit: PAGE_SIZE });

  const english = !(i18n.resolvedLanguage ?? '').startsWith('zh');
  const columns: DataTableColumn<AttributionEntry>[] = [
    { accessor: 'countryCode', title: t('attribution:fields.countryCode'), render: (r) => `+${r.countryCode}` },
    { accessor: 'prefix', title: t('attribution:fields.prefix'), render: (r) => <Text ff="monospace" size="sm">{r.prefix}</Text> },
    // Region and carrier in the clerk's language (the data holds both; the import and export keep both).
    { accessor: 'region', title: t('attribution:fields.region'), render: (r) => (english ? r.regionEn || r.region : r.region || r.regionEn) },
    { accessor: 'areaCode', title: t('attribution:fields.areaCode') },
    { accessor: 'carrier', title: t('attribution:fields.carrier'), render: (r) => (english ? r.carrierEn || r.carrier : r.carrier || r.carrierEn) },
    {
      accessor: 'kind',
      title: t('attribution:fields.kind'),
      render: (r) => (
        <Badge variant="light" color={r.kind === 'mobile' ? 'teal' : 'indigo'} miw="max-content">
          {t(`rating:numberKinds.${r.kind}`)}
        </Badge>
      ),
    },
    { accessor: 'versionId', title: t('attribution:fields.version'), textAlign: 'right' },
  ];
  const filtered = Object.values(filters).some(Boolean);
  return (
    <Stack gap="md">
      <LookupCard />
      <FilterBar active={filtered} onClear={() => setFilters(NO_FILTERS)}>
        <Select
          label={t('attribution:fields.countryCode')}
          w={130}
          data={[{ value: '', label: t('attribution:allCountries') }, ...countries.map((c) => ({ value: c.countryCode, label: `+${c.countryCode} (${f.number(c.rows)})` }))]}
          value={filters.country}
          allowDeselect={false}
          onChange={(country) => setFilters({ country: country ?? '' })}
        />
        <FilterTextInput label={t('attribution:fields.prefix')} value={filters.prefix} onChange={(prefix) => setFilters({ prefix })} width={130} />
        <FilterTextInput label={t('attribution:fields.region')} value={filters.region} onChange={(region) => setFilters({ region })} />
        <FilterTextInput label={t('attribution:fields.areaCode')} value={filters.areaCode} onChange={(areaCode) => setFilters({ areaCode })} width={110} />
        <FilterTextInput label={t('attribution:fields.carrier')} value={filters.carrier} onChange={(carrier) => setFilters({ carrier })} width={140} />
        <Select
          label={t('attribution:fields.kind')}
          w={120}
          data={[
            { value: '', label: t('attribution:anyKind') },
            { value: 'mobile', label: t('rating:numberKinds.mobile') },
            { value: 'fixed', label: t('rating:numberKinds.fixed') },
          ]}
          value={filters.kind}
          allowDeselect={false}
          onChange={(kind) => setFilters({ kind: kind ?? '' })}
        />
        <ExportButton onExport={(format, language) => call('attribution.export', { ...query, format, timeZone: f.timeZone, language })} />
      </FilterBar>
      <PagedDataTable
        label={t('attribution:tableLabel')}
        pages={pages}
        columns={columns}
        pageSize={PAGE_SIZE}
        empty={{ title: t('attribution:empty.title'), hint: filtered ? t('attribution:empty.hintFiltered') : t('attribution:empty.hint') }}
      />
    </Stack>
  );
}

/** "What does the engine use for this number?" */
function LookupCard() {
  const { t, i18n } = useTranslation();
  const [number, setNumber] = useState('');
  const [result, setResult] = useState<AttributionLookup | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!number.trim()) return;
    setBusy(true);
    try {
      setResult(await call('attribution.lookup', { number: number.trim() }));
      setError(null);
    } catch (err) {
      setError(err);
      setResult(null);
    } finally {
      setBusy(false);
    }
  };
  const match = result?.match;
  const region = match ? (i18n.resolvedLanguage === 'en' && match.regionEn ? match.regionEn : match.region) : '';
  return (
    <Card withBorder radius="sm" padding="sm">
      <form onSubmit={submit}>
        <Group align="flex-end" gap="sm">
          <TextInput
            label={t('attribution:lookup.label')}
            description={t('attribution:lookup.hint')}
            placeholder="13800138000"
            w={260}
            value={number}
            onChange={(e) => setNumber(e.currentTarget.value)}
          />
          <Button type="submit" variant="light" leftSection={<IconSearch size={16} />} loading={busy}>
            {t('attribution:lookup.button')}
          </Button>
          {result && (
            <Text size="sm" pb={6} data-testid="lookup-result">
              {match
                ? t('attribution:lookup.found', {
                    number: result.nationalNumber,
                    prefix: match.prefix,
                    kind: t(`rating:numberKinds.${match.kind}`),
                    region: region || '-',
                    areaCode: match.areaCode || '-',
                    carrier: (i18n.resolvedLanguage === 'en' ? match.carrierEn : match.carrier) || match.carrier || '-',
                  })
                : t('attribution:lookup.none', { number: result.nationalNumber, countryCode: result.countryCode })}
            </Text>
          )}
        </Group>
      </form>
      {error !== null && <ErrorAlert error={error} />}
    </Card>
  );
}
