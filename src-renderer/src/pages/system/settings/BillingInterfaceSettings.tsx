import { Badge, Button, Checkbox, Group, PasswordInput, SimpleGrid, Stack, Switch, Text, Textarea, TextInput } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { settingsUpdateInput, type SettingsView } from '../../../../../src-shared/api/settings';
import { useFlatContractForm } from '../../../hooks/useFlatContractForm';
import { linesToList, saveSettings } from './saveSettings';

const portOf = (text: string) => (/^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN);

const FIELDS = {
  'billingInterface.enabled': true,
  'billingInterface.host': '',
  'billingInterface.cdrPort': '',
  'billingInterface.account': '',
  'billingInterface.password': '',
  'billingInterface.removePassword': false,
  'billingInterface.addresses': '',
};

/** The CDR billing interface: where IPPBXs push CDRs (TCP listener, HTTP push) and how they prove who they are. */
export function BillingInterfaceSettings({ settings, onSaved }: { settings: SettingsView; onSaved(): void }) {
  const { t } = useTranslation();
  const form = useFlatContractForm({
    initialValues: FIELDS as Record<keyof typeof FIELDS, string | boolean>,
    schema: settingsUpdateInput,
    toInput: (v) => {
      const password = v['billingInterface.removePassword'] ? '' : String(v['billingInterface.password']) || undefined;
      return {
        billingInterface: {
          enabled: v['billingInterface.enabled'] === true,
          host: String(v['billingInterface.host']),
          cdrPort: portOf(String(v['billingInterface.cdrPort'])),
          account: String(v['billingInterface.account']),
          ...(password !== undefined ? { password } : {}),
          addresses: linesToList(String(v['billingInterface.addresses'])),
        },
      };
    },
    extraChecks: (v) => ({ 'billingInterface.cdrPort': Number.isNaN(portOf(String(v['billingInterface.cdrPort']))) ? t('settings:errors.port') : undefined }),
  });
  const [busy, setBusy] = useState(false);
  const bi = settings.billingInterface;

  useEffect(() => {
    form.load({
      'billingInterface.enabled': bi.enabled,
      'billingInterface.host': bi.host,
      'billingInterface.cdrPort': String(bi.cdrPort),
      'billingInterface.account': bi.account,
      'billingInterface.password': '',
      'billingInterface.removePassword': false,
      'billingInterface.addresses': bi.addresses.join('\n'),
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
        <Text size="sm" c="dimmed">
          {t('settings:billingInterface.description')}
        </Text>
        <Switch label={t('settings:billingInterface.enabled')} {...form.checkbox('billingInterface.enabled')} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label={t('settings:billingInterface.host')} {...form.text('billingInterface.host', { description: t('settings:billingInterface.hostHint') })} />
          <TextInput label={t('settings:billingInterface.cdrPort')} inputMode="numeric" {...form.text('billingInterface.cdrPort')} />
          <TextInput label={t('settings:billingInterface.account')} autoComplete="off" {...form.text('billingInterface.account')} />
          <Stack gap={4}>
            <PasswordInput
              label={
                <Group gap={6} component="span">
                  {t('settings:billingInterface.password')}
                  <Badge size="xs" variant="light" color={bi.hasPassword ? 'green' : 'gray'}>
                    {bi.hasPassword ? t('settings:billingInterface.passwordSet') : t('settings:billingInterface.passwordNotSet')}
                  </Badge>
                </Group>
              }
              description={t('settings:billingInterface.passwordHint')}
              autoComplete="new-password"
              disabled={Boolean(form.values['billingInterface.removePassword'])}
              {...form.text('billingInterface.password', { count: false })}
            />
            {bi.hasPassword && <Checkbox size="xs" label={t('settings:billingInterface.removePassword')} {...form.checkbox('billingInterface.removePassword')} />}
          </Stack>
        </SimpleGrid>
        <Textarea
          label={t('settings:billingInterface.addresses')}
          description={t('settings:billingInterface.addressesHint')}
          autosize
          minRows={3}
          placeholder={'192.168.1.20\n10.0.0.0/8'}
          {...form.text('billingInterface.addresses')}
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
