import { Checkbox, Fieldset, Grid, PasswordInput, Select, SimpleGrid, Stack, Switch, Text, Textarea, TextInput } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Device } from '../../../../src-shared/api/devices';
import { CDR_FORMATS, GENERIC_CSV_FIELDS } from '../../../../src-shared/domain/cdr';
import { knownTimeZones } from '../../format/time';
import { DeviceSftpTest } from './DeviceSftpTest';
import { sftpInputOf, zoneFollowingCountryCode } from './deviceFormModel';
import type { DeviceForm as Form } from './useDeviceForm';
import { EnterpriseSelect } from '../accounts/components/EnterpriseSelect';

/** Monospace for what is typed (paths, patterns, keys), not for the label. */
const mono = { input: { fontFamily: 'var(--mantine-font-family-monospace)' } };

function useZones(current: string): string[] {
  const zones = useMemo(() => knownTimeZones(), []);
  return current && !zones.includes(current) ? [current, ...zones] : zones;
}

export function GeneralSection({ form }: { form: Form }) {
  const { t } = useTranslation();
  const zones = useZones(String(form.values['timeZone']));
  const formats = CDR_FORMATS.map((format) => ({ value: format, label: t(`devices:formats.${format}`) }));
  return (
    <Fieldset legend={t('devices:sections.general')}>
      <Stack gap="sm">
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label={t('devices:fields.name')} required data-autofocus {...form.text('name')} />
          <Select label={t('devices:fields.format')} required data={formats} allowDeselect={false} searchable {...form.select('format')} />
          <Select
            label={t('devices:fields.timeZone')}
            description={t('devices:help.timeZone')}
            required
            data={zones}
            searchable
            allowDeselect={false}
            {...form.select('timeZone')}
          />
          <EnterpriseSelect
            label={t('devices:fields.defaultEnterprise')}
            description={t('devices:help.defaultEnterprise')}
            placeholder={t('devices:help.noEnterprise')}
            nothingFound={t('devices:help.noEnterpriseFound')}
            value={String(form.values['defaultEnterpriseId'] ?? '')}
            onChange={(id) => form.setValue('defaultEnterpriseId', id)}
            error={form.errorOf('defaultEnterpriseId')}
          />
        </SimpleGrid>
        <Textarea
          label={t('devices:fields.addresses')}
          description={t('devices:help.addresses')}
          autosize
          minRows={2}
          maxRows={6}
          styles={mono}
          {...form.text('addresses')}
        />
        <Textarea label={t('devices:fields.notes')} autosize minRows={1} maxRows={4} {...form.text('notes')} />
        <Switch label={t('devices:fields.enabled')} {...form.checkbox('enabled')} />
      </Stack>
    </Fieldset>
  );
}

export function NumberingSection({ form }: { form: Form }) {
  const { t } = useTranslation();
  return (
    <Fieldset legend={t('devices:sections.numbering')}>
      <Grid gap="sm">
        <Grid.Col span={{ base: 6, sm: 3 }}>
          <TextInput
            label={t('devices:fields.countryCode')}
            required
            inputMode="numeric"
            {...form.text('countryCode')}
            onChange={(event) => {
              // The zone follows the country while the clerk has not picked one (86 → Asia/Shanghai, 44 → London).
              const before = String(form.values['countryCode'] ?? '');
              const after = event.currentTarget.value;
              form.setValue('countryCode', after);
              form.setValue('timeZone', zoneFollowingCountryCode(String(form.values['timeZone'] ?? ''), before, after));
            }}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 6, sm: 3 }}>
          <TextInput label={t('devices:fields.areaCode')} inputMode="numeric" {...form.text('areaCode')} />
        </Grid.Col>
        <Grid.Col span={{ base: 6, sm: 3 }}>
          <TextInput label={t('devices:fields.nationalPrefix')} inputMode="numeric" {...form.text('nationalPrefix')} />
        </Grid.Col>
        <Grid.Col span={{ base: 6, sm: 3 }}>
          <TextInput label={t('devices:fields.internationalPrefix')} required inputMode="numeric" {...form.text('internationalPrefix')} />
        </Grid.Col>
        <Grid.Col span={12}>
          <Text size="xs" c="dimmed">
            {t('devices:help.areaCode')}
          </Text>
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <TextInput label={t('devices:fields.extensionPattern')} styles={mono} {...form.text('extensionPattern', { description: t('devices:help.extensionPattern') })} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <TextInput label={t('devices:fields.localNumberLengths')} description={t('devices:help.localNumberLengths')} {...form.text('localNumberLengths')} />
        </Grid.Col>
      </Grid>
    </Fieldset>
  );
}

export function GenericCsvSection({ form }: { form: Form }) {
  const { t } = useTranslation();
  const zones = useZones(String(form.values['formatOptions.timeZone']));
  const units = ['s', 'ms', 'hms'].map((u) => ({ value: u, label: t(`devices:genericCsv.units.${u}`) }));
  return (
    <Fieldset legend={t('devices:sections.genericCsv')}>
      <Stack gap="sm">
        <Text size="sm" c={form.errors['formatOptions.columns'] ? 'red' : 'dimmed'}>
          {form.errors['formatOptions.columns'] ?? t('devices:genericCsv.columnsHelp')}
        </Text>
        <SimpleGrid cols={{ base: 2, sm: 3, md: 4 }} spacing="xs" verticalSpacing={4}>
          {GENERIC_CSV_FIELDS.map((field) => (
            <TextInput
              key={field}
              size="xs"
              label={t(`devices:genericCsv.field.${field}`)}
              required={field === 'start' || field === 'caller' || field === 'callee'}
              {...form.text(`formatOptions.columns.${field}`)}
            />
          ))}
        </SimpleGrid>
        <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }}>
          <TextInput label={t('devices:genericCsv.delimiter')} description={t('devices:genericCsv.delimiterHelp')} maxLength={2} {...form.text('formatOptions.delimiter')} />
          <TextInput label={t('devices:genericCsv.dateFormat')} description={t('devices:genericCsv.dateFormatHelp')} {...form.text('formatOptions.dateFormat')} />
          <Select
            label={t('devices:genericCsv.timeZone')}
            description={t('devices:genericCsv.timeZoneHelp')}
            data={zones}
            searchable
            clearable
            {...form.select('formatOptions.timeZone')}
          />
          <Select label={t('devices:genericCsv.durationUnit')} data={units} allowDeselect={false} {...form.select('formatOptions.durationUnit')} />
        </SimpleGrid>
        <Checkbox label={t('devices:genericCsv.header')} {...form.checkbox('formatOptions.header')} />
      </Stack>
    </Fieldset>
  );
}

function SecretInput({ form, name, clear, stored, label, multiline }: { form: Form; name: string; clear: string; stored: boolean; label: string; multiline?: boolean }) {
  const { t } = useTranslation();
  const removing = form.values[clear] === true;
  const description = stored ? t('devices:sftp.secretStored') : t('devices:sftp.secretNone');
  return (
    <Stack gap={4}>
      {multiline ? (
        <Textarea label={label} description={description} autosize minRows={2} maxRows={6} styles={mono} disabled={removing} autoComplete="off" {...form.text(name, { count: false })} />
      ) : (
        <PasswordInput label={label} description={description} disabled={removing} autoComplete="new-password" {...form.text(name, { count: false })} />
      )}
      {stored && <Checkbox size="xs" label={t('devices:sftp.removeStored')} {...form.checkbox(clear)} />}
    </Stack>
  );
}

function HostKeyLine({ form, stored }: { form: Form; stored: string | null }) {
  const { t } = useTranslation();
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500}>
        {t('devices:sftp.hostKey')}
      </Text>
      {stored ? (
        <>
          <Text size="sm" ff="monospace" data-testid="sftp-host-key">
            {stored}
          </Text>
          <Text size="xs" c="dimmed">
            {t('devices:sftp.hostKeyStored')}
          </Text>
          <Checkbox size="xs" label={t('devices:sftp.forgetHostKey')} {...form.checkbox('forgetHostKey')} />
        </>
      ) : (
        <Text size="xs" c="dimmed">
          {t('devices:sftp.hostKeyNone')}
        </Text>
      )}
    </Stack>
  );
}

export function SftpSection({ form, device }: { form: Form; device: Device | null }) {
  const { t } = useTranslation();
  const on = form.values['sftpEnabled'] === true;
  const actions = (['keep', 'delete', 'move'] as const).map((a) => ({ value: a, label: t(`devices:sftp.afterFetchOptions.${a}`) }));
  return (
    <Fieldset legend={t('devices:sections.sftp')}>
      <Stack gap="sm">
        <Switch label={t('devices:sftp.enable')} {...form.checkbox('sftpEnabled')} />
        {on && (
          <>
            <Grid gap="sm">
              <Grid.Col span={{ base: 12, sm: 6 }}>
                <TextInput label={t('devices:sftp.host')} required {...form.text('sftp.host')} />
              </Grid.Col>
              <Grid.Col span={{ base: 4, sm: 2 }}>
                <TextInput label={t('devices:sftp.port')} required inputMode="numeric" {...form.text('sftp.port')} />
              </Grid.Col>
              <Grid.Col span={{ base: 8, sm: 4 }}>
                <TextInput label={t('devices:sftp.username')} required autoComplete="off" {...form.text('sftp.username')} />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 6 }}>
                <SecretInput form={form} name="sftp.password" clear="clearPassword" stored={Boolean(device?.sftp?.hasPassword)} label={t('devices:sftp.password')} />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 6 }}>
                <PasswordInput label={t('devices:sftp.passphrase')} autoComplete="new-password" {...form.text('sftp.passphrase')} />
              </Grid.Col>
              <Grid.Col span={12}>
                <SecretInput form={form} name="sftp.privateKey" clear="clearPrivateKey" stored={Boolean(device?.sftp?.hasPrivateKey)} label={t('devices:sftp.privateKey')} multiline />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 6 }}>
                <TextInput label={t('devices:sftp.folder')} required styles={mono} {...form.text('sftp.folder')} />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 6 }}>
                <TextInput label={t('devices:sftp.pattern')} required styles={mono} {...form.text('sftp.pattern', { description: t('devices:sftp.patternHelp') })} />
              </Grid.Col>
              <Grid.Col span={{ base: 6, sm: 3 }}>
                <TextInput label={t('devices:sftp.intervalSeconds')} required inputMode="numeric" {...form.text('sftp.intervalSeconds')} />
              </Grid.Col>
              <Grid.Col span={{ base: 6, sm: 4 }}>
                <Select label={t('devices:sftp.afterFetch')} data={actions} allowDeselect={false} {...form.select('sftp.afterFetch')} />
              </Grid.Col>
              {form.values['sftp.afterFetch'] === 'move' && (
                <Grid.Col span={{ base: 12, sm: 5 }}>
                  <TextInput label={t('devices:sftp.moveTo')} required styles={mono} {...form.text('sftp.moveTo')} />
                </Grid.Col>
              )}
              <Grid.Col span={12}>
                <Text size="xs" c="dimmed">
                  {t('devices:sftp.afterFetchHelp')}
                </Text>
              </Grid.Col>
              <Grid.Col span={12}>
                <HostKeyLine form={form} stored={device?.sftp?.hostKey ?? null} />
              </Grid.Col>
            </Grid>
            <DeviceSftpTest
              disabled={!String(form.values['sftp.host']).trim() || !String(form.values['sftp.username']).trim()}
              input={() => ({
                ...(device ? { id: device.id } : {}),
                format: form.values['format'] as Device['format'],
                sftp: sftpInputOf(form.values),
              })}
            />
          </>
        )}
      </Stack>
    </Fieldset>
  );
}
