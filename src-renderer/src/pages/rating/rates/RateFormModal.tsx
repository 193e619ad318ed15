import { Alert, Checkbox, Chip, Grid, Group, Modal, NumberInput, Select, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { DateTimePicker } from '@mantine/dates';
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { rateCreateInput, type RateRecord } from '../../../../../src-shared/api/rating';
import { formatMoney, MAX_RATE_PRICE } from '../../../../../src-shared/domain/money';
import { RATED_CALL_TYPES, type RatedCallType } from '../../../../../src-shared/domain/numbers/classify-call';
import { call } from '../../../api/client';
import { currencySymbol } from '../../../format/money';
import { describeError } from '../../../hooks/notify';
import { apiFieldProblems, contractProblems, maxLengthOf } from '../../../hooks/contractForm';
import { useContractMessages } from '../../../hooks/useContractForm';
import { LengthCount } from '../../../components/LengthCount';
import { useFormatters } from '../../../hooks/useFormatters';
import { IntervalsEditor } from './IntervalsEditor';
import { RatePreview } from './RatePreview';
import { emptyRate, formValuesOf, ratePricesBeyondBound, rateInputOf, tariffOf, type RateFormValues } from './rate-form-values';
import { FormActions } from '../../../components/FormActions';

const DAYS = ['1', '2', '3', '4', '5', '6', '7'];
const NAME_MAX = maxLengthOf(rateCreateInput.shape.name) ?? 0;
const NOTES_MAX = maxLengthOf(rateCreateInput.shape.notes) ?? 0;

/** Add a rate to a group (`rate` absent) or change one; the preview prices sample durations as the engine would. */
export function RateFormModal({
  opened,
  rateGroupId,
  rate,
  defaultCallType,
  onClose,
  onSaved,
}: {
  opened: boolean;
  rateGroupId: number;
  rate: RateRecord | null;
  defaultCallType?: RatedCallType;
  onClose(): void;
  onSaved(rate: RateRecord, created: boolean): void;
}) {
  const { t } = useTranslation();
  const f = useFormatters();
  const [values, setValues] = useState<RateFormValues>(emptyRate());
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const messages = useContractMessages();

  useEffect(() => {
    if (!opened) return;
    setValues(rate ? formValuesOf(rate, f.timeZone) : emptyRate(defaultCallType));
    setErrors({});
    setFailure(null);
  }, [opened, rate, defaultCallType, f.timeZone]);

  const set = <K extends keyof RateFormValues>(key: K, value: RateFormValues[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    setErrors((e) => (e[key] ? { ...e, [key]: '' } : e));
  };
  const tariff = useMemo(() => tariffOf(values), [values]);
  // Prices beyond the contract's bound are said as they are typed, and the form is not sent with them.
  const beyondBound = ratePricesBeyondBound(values);
  const max = f.money(formatMoney(MAX_RATE_PRICE));
  const shownErrors: Record<string, string> = {
    ...errors,
    ...Object.fromEntries(beyondBound.map((path) => [path, t(path === 'connectFee' ? 'money:tooLarge.connectFee' : 'money:tooLarge.ratePrice', { max })])),
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (beyondBound.length) return;
    const input = rateInputOf(values, f.timeZone);
    // The contract's own check, as the engine makes it (its paths are the fields': "intervals.0.price").
    const problems = contractProblems(rateCreateInput, { rateGroupId, ...input }, (path) => path.map(String).join('.') || null, messages.issue);
    if (problems.other.length) problems.fields.rate = problems.other.join('; ');
    if (Object.keys(problems.fields).length) return setErrors(problems.fields);
    setBusy(true);
    setFailure(null);
    try {
      const saved = rate ? await call('rates.update', { id: rate.id, ...input }) : await call('rates.create', { rateGroupId, ...input });
      onSaved(saved, !rate);
      onClose();
    } catch (err) {
      const fields = apiFieldProblems(err, messages.problem);
      if (fields) setErrors(fields);
      else setFailure(err);
    } finally {
      setBusy(false);
    }
  };

  const symbol = currencySymbol(f.locale, f.currency);
  const failureText = failure ? describeError(failure, t) : null;
  const otherErrors = Object.entries(errors).filter(([path, message]) => message && !path.startsWith('intervals') && !path.startsWith('timeBand') && !KNOWN_FIELDS.has(path));
  return (
    <Modal
      opened={opened}
      onClose={busy ? () => undefined : onClose}
      title={rate ? t('rating:form.editTitle', { name: rate.name }) : t('rating:form.createTitle')}
      size="xl"
      centered
    >
      <form onSubmit={submit} noValidate>
        <Grid gap="lg">
          <Grid.Col span={{ base: 12, md: 7 }}>
            <Stack gap="sm">
              <Group grow align="flex-start">
                <TextInput
                  label={t('rating:fields.name')}
                  required
                  data-autofocus
                  description={<LengthCount length={values.name.length} max={NAME_MAX} />}
                  value={values.name}
                  error={errors.name}
                  onChange={(e) => set('name', e.currentTarget.value)}
                />
                <Select
                  label={t('rating:fields.callType')}
                  data={RATED_CALL_TYPES.map((c) => ({ value: c, label: t(`rating:callTypes.${c}`) }))}
                  allowDeselect={false}
                  value={values.callType}
                  error={errors.callType}
                  onChange={(v) => set('callType', (v ?? 'domestic') as RatedCallType)}
                />
              </Group>
              <Group grow align="flex-start">
                <TextInput
                  label={t('rating:fields.prefix')}
                  description={t(values.callType === 'international' ? 'rating:form.prefixHelpInternational' : 'rating:form.prefixHelp')}
                  value={values.prefix}
                  error={errors.prefix}
                  onChange={(e) => set('prefix', e.currentTarget.value)}
                />
                <TextInput
                  label={t('rating:fields.connectFee')}
                  description={t('rating:form.connectFeeHelp')}
                  leftSection={symbol}
                  value={values.connectFee}
                  error={shownErrors.connectFee}
                  onChange={(e) => set('connectFee', e.currentTarget.value)}
                />
              </Group>
              <Group grow align="flex-start">
                <NumberInput label={t('rating:fields.freeSeconds')} description={t('rating:form.freeSecondsHelp')} min={0} allowDecimal={false} value={values.freeSeconds} error={errors.freeSeconds} onChange={(v) => set('freeSeconds', v)} />
                <NumberInput label={t('rating:fields.minSeconds')} description={t('rating:form.minSecondsHelp')} min={0} allowDecimal={false} value={values.minSeconds} error={errors.minSeconds} onChange={(v) => set('minSeconds', v)} />
              </Group>
              <IntervalsEditor rows={values.intervals} errors={shownErrors} onChange={(rows) => set('intervals', rows)} />
              <DateTimePicker
                label={t('rating:fields.effectiveFromZone', { zone: f.zone })}
                description={t('rating:form.effectiveFromHelp')}
                placeholder={t('rating:always')}
                clearable
                withSeconds={false}
                valueFormat="YYYY-MM-DD HH:mm"
                value={values.effectiveFrom}
                error={errors.effectiveFrom}
                onChange={(v) => set('effectiveFrom', v)}
              />
              <Checkbox label={t('rating:form.bandEnabled')} checked={values.bandEnabled} onChange={(e) => set('bandEnabled', e.currentTarget.checked)} />
              {values.bandEnabled && (
                <Stack gap={6} pl="md">
                  <Chip.Group multiple value={values.bandDays} onChange={(days) => set('bandDays', days)}>
                    <Group gap={4}>
                      {DAYS.map((d) => (
                        <Chip key={d} value={d} size="xs">
                          {t(`rating:days.${d}`)}
                        </Chip>
                      ))}
                    </Group>
                  </Chip.Group>
                  {(errors['timeBand.days'] || Object.entries(errors).find(([p]) => p.startsWith('timeBand.days.'))?.[1]) && (
                    <Text size="xs" c="red">
                      {errors['timeBand.days'] || Object.entries(errors).find(([p]) => p.startsWith('timeBand.days.'))?.[1]}
                    </Text>
                  )}
                  <Group grow align="flex-start">
                    <TextInput label={t('rating:fields.bandFrom')} placeholder="08:00" value={values.bandFrom} error={errors['timeBand.from']} onChange={(e) => set('bandFrom', e.currentTarget.value)} />
                    <TextInput label={t('rating:fields.bandTo')} description={t('rating:form.bandToHelp')} placeholder="18:00" value={values.bandTo} error={errors['timeBand.to']} onChange={(e) => set('bandTo', e.currentTarget.value)} />
                  </Group>
                </Stack>
              )}
              <Textarea
                label={t('rating:fields.notes')}
                autosize
                minRows={1}
                maxRows={6}
                description={<LengthCount length={values.notes.length} max={NOTES_MAX} />}
                value={values.notes}
                error={errors.notes}
                onChange={(e) => set('notes', e.currentTarget.value)}
              />
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 5 }}>
            <RatePreview tariff={tariff} />
          </Grid.Col>
        </Grid>
        {otherErrors.length > 0 && (
          <Alert color="red" variant="light" mt="sm" role="alert">
            {otherErrors.map(([path, message]) => `${path}: ${message}`).join('; ')}
          </Alert>
        )}
        <FormActions failure={failureText} busy={busy} onCancel={onClose} submitLabel={rate ? t('common:actions.save') : t('rating:actions.addRate')} mt="sm" />
      </form>
    </Modal>
  );
}

const KNOWN_FIELDS = new Set(['name', 'callType', 'prefix', 'connectFee', 'freeSeconds', 'minSeconds', 'effectiveFrom', 'notes']);
