import { Button, Grid, Group, NumberInput, Paper, Select, TextInput } from '@mantine/core';
import { DateTimePicker } from '@mantine/dates';
import { IconCalculator } from '@tabler/icons-react';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { RatingQuote } from '../../../../../src-shared/api/rating';
import { call } from '../../../api/client';
import { EmptyState } from '../../../components/EmptyState';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { PageHeader } from '../../../components/PageHeader';
import { dayjs, zoneLabel } from '../../../format/time';
import { useApiQuery } from '../../../hooks/useApiQuery';
import { useFormatters } from '../../../hooks/useFormatters';
import { useUrlFilters } from '../../../hooks/useUrlFilters';
import { DeviceSelect } from '../components/DeviceSelect';
import { QuoteResult } from './QuoteResult';

/**
 * Billing → Rating tester: one call priced exactly as the charging pipeline prices it, with the whole explanation.
 * The inputs live in the URL, so "why does this call cost that" can be sent to a colleague as a link.
 */
export function RatingTesterPage() {
  const { t } = useTranslation();
  const f = useFormatters();
  const [filters, setFilters] = useUrlFilters({ device: '', group: '', caller: '', callee: '', start: '', billsec: '60' });
  const devices = useApiQuery('devices.list', {});
  const groups = useApiQuery('rateGroups.list', {});
  const device = devices.data?.find((d) => String(d.id) === filters.device);
  const zone = device?.timeZone ?? f.timeZone;
  const [draft, setDraft] = useState(filters);
  const [quote, setQuote] = useState<RatingQuote | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    setDraft((d) => ({
      ...d,
      device: d.device || String(devices.data?.[0]?.id ?? ''),
      group: d.group || String(groups.data?.[0]?.id ?? ''),
      start: d.start || dayjs().tz(zone).format('YYYY-MM-DD HH:mm:ss'),
    }));
  }, [devices.data, groups.data, zone]);

  const run = async (values: typeof draft) => {
    if (!values.device || !values.group || !values.callee.trim()) return;
    setBusy(true);
    setError(null);
    const deviceZone = devices.data?.find((d) => String(d.id) === values.device)?.timeZone ?? zone;
    try {
      setQuote(
        await call('rating.quote', {
          deviceId: Number(values.device),
          rateGroupId: Number(values.group),
          caller: values.caller.trim(),
          callee: values.callee.trim(),
          start: dayjs.tz(values.start, deviceZone).valueOf(),
          billsec: Number(values.billsec) || 0,
        }),
      );
    } catch (err) {
      setQuote(null);
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  // A bookmarked link shows its answer at once.
  const ranFromUrl = useRef(false);
  useEffect(() => {
    if (ranFromUrl.current || !devices.data || !filters.callee || !filters.device || !filters.group || !filters.start) return;
    ranFromUrl.current = true;
    void run(filters);
  }, [devices.data]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setFilters(draft);
    void run(draft);
  };

  const noSetup = (devices.data && devices.data.length === 0) || (groups.data && groups.data.length === 0);
  return (
    <>
      <PageHeader title={t('nav:ratingTester')} description={t('rating:testerDescription')} />
      {devices.error && <ErrorAlert error={devices.error} onRetry={devices.reload} />}
      {groups.error && <ErrorAlert error={groups.error} onRetry={groups.reload} />}
      {noSetup ? (
        <EmptyState title={t('rating:testerEmpty.title')} hint={t('rating:testerEmpty.hint')} />
      ) : (
        <>
          <Paper withBorder radius="sm" p="md" mb="md">
            <form onSubmit={submit} aria-label={t('nav:ratingTester')}>
              <Grid gap="sm" align="flex-end">
                <Grid.Col span={{ base: 12, sm: 6, lg: 3 }}>
                  <DeviceSelect devices={devices.data} value={draft.device} width="auto" onChange={(device) => setDraft((d) => ({ ...d, device }))} />
                </Grid.Col>
                <Grid.Col span={{ base: 12, sm: 6, lg: 3 }}>
                  <Select
                    label={t('rating:fields.rateGroup')}
                    placeholder={t('rating:pickGroup')}
                    searchable
                    data={(groups.data ?? []).map((g) => ({ value: String(g.id), label: g.name }))}
                    value={draft.group || null}
                    allowDeselect={false}
                    onChange={(group) => setDraft((d) => ({ ...d, group: group ?? '' }))}
                  />
                </Grid.Col>
                <Grid.Col span={{ base: 6, sm: 3, lg: 2 }}>
                  <TextInput label={t('rating:fields.caller')} placeholder="8001" value={draft.caller} onChange={(e) => setDraft({ ...draft, caller: e.currentTarget.value })} />
                </Grid.Col>
                <Grid.Col span={{ base: 6, sm: 3, lg: 2 }}>
                  <TextInput label={t('rating:fields.callee')} placeholder="902150001234" required value={draft.callee} onChange={(e) => setDraft({ ...draft, callee: e.currentTarget.value })} />
                </Grid.Col>
                <Grid.Col span={{ base: 6, sm: 3, lg: 2 }}>
                  <NumberInput
                    label={t('rating:fields.billsec')}
                    min={0}
                    max={864000}
                    allowDecimal={false}
                    value={draft.billsec}
                    onChange={(v) => setDraft({ ...draft, billsec: String(v) })}
                  />
                </Grid.Col>
                <Grid.Col span={{ base: 12, sm: 6, lg: 4 }}>
                  <DateTimePicker
                    label={t('rating:fields.startZone', { zone: zoneLabel(zone, f.locale) })}
                    withSeconds
                    valueFormat="YYYY-MM-DD HH:mm:ss"
                    value={draft.start || null}
                    onChange={(start) => setDraft((d) => ({ ...d, start: start ?? '' }))}
                  />
                </Grid.Col>
                <Grid.Col span={{ base: 12, sm: 3, lg: 2 }}>
                  <Button type="submit" fullWidth leftSection={<IconCalculator size={16} />} loading={busy} disabled={!draft.callee.trim() || !draft.device || !draft.group}>
                    {t('rating:actions.quote')}
                  </Button>
                </Grid.Col>
              </Grid>
            </form>
          </Paper>
          {error !== null && <ErrorAlert error={error} />}
          {quote && <QuoteResult quote={quote} />}
          {!quote && error === null && (
            <Group justify="center">
              <EmptyState title={t('rating:testerIdle.title')} hint={t('rating:testerIdle.hint')} />
            </Group>
          )}
        </>
      )}
    </>
  );
}
