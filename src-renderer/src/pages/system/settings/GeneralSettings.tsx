import { Alert, Button, Group, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { RETENTION_TIME_OF_DAY } from '../../../../../src-shared/api/retention';
import { settingsUpdateInput, type SettingsView } from '../../../../../src-shared/api/settings';
import { useFlatContractForm } from '../../../hooks/useFlatContractForm';
import { saveSettings } from './saveSettings';

const FIELDS = { 'currency.code': '', 'currency.symbol': '', 'retention.months': '', 'bills.closeFromDay': '' };
const wholeNumber = (text: string) => (/^\s*-?\d+\s*$/.test(text) ? Number(text) : Number.NaN);

/** Currency of the amounts, and how long CDRs are kept. */
export function GeneralSettings({ settings, onSaved }: { settings: SettingsView; onSaved(): void }) {
  const { t } = useTranslation();
  const form = useFlatContractForm({
    initialValues: FIELDS,
    schema: settingsUpdateInput,
    toInput: (v) => ({
      currency: { code: v['currency.code'].toUpperCase(), symbol: v['currency.symbol'] },
      retention: { months: wholeNumber(v['retention.months']) },
      bills: { closeFromDay: wholeNumber(v['bills.closeFromDay']) },
    }),
    extraChecks: (v) => ({
      'retention.months': Number.isNaN(wholeNumber(v['retention.months'])) ? t('settings:errors.wholeNumber') : undefined,
      'bills.closeFromDay': Number.isNaN(wholeNumber(v['bills.closeFromDay'])) ? t('settings:errors.wholeNumber') : undefined,
    }),
  });
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    form.load({
      'currency.code': settings.currency.code,
      'currency.symbol': settings.currency.symbol,
      'retention.months': String(settings.retention.months),
      'bills.closeFromDay': String(settings.bills.closeFromDay),
    });
  }, [settings]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!form.check()) return;
    setBusy(true);
    const result = await saveSettings(form.input(), form.applyApiError, t);
    setBusy(false);
    if (result) onSaved();
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md" maw={760}>
        <Title order={4} fz="h5">
          {t('settings:currency.title')}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label={t('settings:currency.code')} description={t('settings:currency.codeHint')} maxLength={3} {...form.text('currency.code')} />
          <TextInput label={t('settings:currency.symbol')} {...form.text('currency.symbol')} />
        </SimpleGrid>
        <Title order={4} fz="h5">
          {t('settings:retention.title')}
        </Title>
        <TextInput
          label={t('settings:retention.months')}
          description={t('settings:retention.monthsHint')}
          inputMode="numeric"
          w={260}
          {...form.text('retention.months')}
        />
        <Alert color="gray" variant="light">
          <Text size="sm">
            {t('settings:retention.job', { time: RETENTION_TIME_OF_DAY, zone: settings.statistics.timeZone, count: settings.retention.months })}
          </Text>
        </Alert>
        <Title order={4} fz="h5">
          {t('settings:bills.title')}
        </Title>
        <TextInput
          label={t('settings:bills.closeFromDay')}
          description={t('settings:bills.closeFromDayHint')}
          inputMode="numeric"
          w={260}
          {...form.text('bills.closeFromDay')}
        />
        <Group>
          <Button type="submit" loading={busy}>
            {t('common:actions.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
