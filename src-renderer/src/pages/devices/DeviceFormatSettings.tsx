import { Fieldset, Grid, Select, SimpleGrid, Stack, Textarea, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CdrFormat } from '../../../../src-shared/domain/cdr';
import type { DeviceForm as Form } from './useDeviceForm';

/** Monospace for what is typed (channel patterns, field names), not for the label. */
const mono = { input: { fontFamily: 'var(--mantine-font-family-monospace)' } };

/** A list typed as text: one entry per line or separated by commas. */
function ListInput({ form, name, label, help }: { form: Form; name: string; label: string; help: string }) {
  return <Textarea label={label} description={help} autosize minRows={1} maxRows={5} styles={mono} {...form.text(name)} />;
}

function AsteriskSettings({ form, format }: { form: Form; format: CdrFormat }) {
  const { t } = useTranslation();
  return (
    <Stack gap="sm">
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <ListInput form={form} name="formatOptions.trunkChannels" label={t('devices:settings.trunkChannels')} help={t('devices:settings.trunkChannelsHelp')} />
        <ListInput form={form} name="formatOptions.inboundContexts" label={t('devices:settings.inboundContexts')} help={t('devices:settings.inboundContextsHelp')} />
      </SimpleGrid>
      {format === 'asterisk-csv' && (
        <Grid gap="sm">
          <Grid.Col span={{ base: 12, sm: 9 }}>
            <Textarea
              label={t('devices:settings.asteriskColumns')}
              description={t('devices:settings.asteriskColumnsHelp')}
              autosize
              minRows={1}
              maxRows={4}
              styles={mono}
              {...form.text('formatOptions.columns')}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 3 }}>
            <TextInput label={t('devices:settings.separator')} description={t('devices:settings.separatorHelp')} maxLength={2} styles={mono} {...form.text('formatOptions.delimiter')} />
          </Grid.Col>
        </Grid>
      )}
    </Stack>
  );
}

/**
 * The settings of the device's CDR format an integrator sets (Asterisk trunks and contexts, the FreeSWITCH leg that is
 * charged, CUCM recorder numbers, the 3CX field order); the server checks them on save and names a wrong one.
 */
export function FormatSettingsSection({ form }: { form: Form }) {
  const { t } = useTranslation();
  const format = form.values['format'] as CdrFormat;
  const legs = (['a', 'b'] as const).map((leg) => ({ value: leg, label: t(`devices:settings.legs.${leg}`) }));
  return (
    <Fieldset legend={t('devices:sections.formatSettings', { format: t(`devices:formats.${format}`) })}>
      {(format === 'asterisk-csv' || format === 'asterisk-json') && <AsteriskSettings form={form} format={format} />}
      {format.startsWith('freeswitch-') && (
        <Select
          label={t('devices:settings.billedLeg')}
          description={t('devices:settings.billedLegHelp')}
          data={legs}
          allowDeselect={false}
          {...form.select('formatOptions.billedLeg')}
        />
      )}
      {format === 'cucm' && (
        <ListInput form={form} name="formatOptions.recorderNumbers" label={t('devices:settings.recorderNumbers')} help={t('devices:settings.recorderNumbersHelp')} />
      )}
      {format === '3cx' && <ListInput form={form} name="formatOptions.fields" label={t('devices:settings.threeCxFields')} help={t('devices:settings.threeCxFieldsHelp')} />}
    </Fieldset>
  );
}
