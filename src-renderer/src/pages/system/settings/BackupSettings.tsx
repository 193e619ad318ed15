import { Button, Checkbox, Group, SegmentedControl, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { settingsUpdateInput, type SettingsView } from '../../../../../src-shared/api/settings';
import { knownTimeZones } from '../../../format/time';
import { useFlatContractForm } from '../../../hooks/useFlatContractForm';
import { saveSettings } from './saveSettings';

const FIELDS = {
  'backup.defaultFolder': true,
  'backup.folder': '',
  'backup.schedule': 'daily',
  'backup.timeOfDay': '02:00',
  'backup.weekday': '7',
  'backup.timeZone': '',
  'backup.keep': '7',
};
const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7];
const wholeNumber = (text: string) => (/^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN);

/** Where backups go and when they are made by themselves. */
export function BackupSettings({ settings, onSaved }: { settings: SettingsView; onSaved(): void }) {
  const { t } = useTranslation();
  const form = useFlatContractForm({
    initialValues: FIELDS as Record<keyof typeof FIELDS, string | boolean>,
    schema: settingsUpdateInput,
    toInput: (v) => ({
      backup: {
        folder: v['backup.defaultFolder'] ? null : String(v['backup.folder']),
        schedule: v['backup.schedule'] as 'off' | 'daily' | 'weekly',
        timeOfDay: String(v['backup.timeOfDay']),
        weekday: Number(v['backup.weekday']),
        timeZone: String(v['backup.timeZone']),
        keep: wholeNumber(String(v['backup.keep'])),
      },
    }),
    extraChecks: (v) => ({ 'backup.keep': Number.isNaN(wholeNumber(String(v['backup.keep']))) ? t('settings:errors.wholeNumber') : undefined }),
  });
  const [busy, setBusy] = useState(false);
  const zones = useMemo(() => knownTimeZones(), []);
  const b = settings.backup;

  useEffect(() => {
    form.load({
      'backup.defaultFolder': b.defaultFolder,
      'backup.folder': b.folder,
      'backup.schedule': b.schedule,
      'backup.timeOfDay': b.timeOfDay,
      'backup.weekday': String(b.weekday),
      'backup.timeZone': b.timeZone,
      'backup.keep': String(b.keep),
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

  const scheduled = form.values['backup.schedule'] !== 'off';
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md" maw={760}>
        <Text size="sm" c="dimmed">
          {t('settings:backup.description')}
        </Text>
        <Checkbox label={t('settings:backup.defaultFolder')} {...form.checkbox('backup.defaultFolder')} />
        <TextInput
          label={t('settings:backup.folder')}
          disabled={Boolean(form.values['backup.defaultFolder'])}
          {...form.text('backup.folder', { description: t('settings:backup.folderHint') })}
        />
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            {t('settings:backup.schedule')}
          </Text>
          <SegmentedControl
            w="fit-content"
            data={(['off', 'daily', 'weekly'] as const).map((value) => ({ value, label: t(`settings:backup.schedules.${value}`) }))}
            value={String(form.values['backup.schedule'])}
            onChange={(value) => form.setValue('backup.schedule', value)}
          />
          {form.errors['backup.schedule'] && (
            <Text size="xs" c="red">
              {form.errors['backup.schedule']}
            </Text>
          )}
        </Stack>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label={t('settings:backup.timeOfDay')} placeholder="02:00" disabled={!scheduled} {...form.text('backup.timeOfDay')} />
          <Select
            label={t('settings:backup.weekday')}
            disabled={form.values['backup.schedule'] !== 'weekly'}
            data={WEEKDAYS.map((d) => ({ value: String(d), label: t(`settings:weekdays.${d}`) }))}
            allowDeselect={false}
            {...form.select('backup.weekday')}
          />
          <Select
            label={t('settings:backup.timeZone')}
            searchable
            allowDeselect={false}
            disabled={!scheduled}
            data={zones.includes(String(form.values['backup.timeZone'])) || !form.values['backup.timeZone'] ? zones : [String(form.values['backup.timeZone']), ...zones]}
            {...form.select('backup.timeZone')}
          />
          <TextInput label={t('settings:backup.keep')} description={t('settings:backup.keepHint')} inputMode="numeric" {...form.text('backup.keep')} />
        </SimpleGrid>
        <Group>
          <Button type="submit" loading={busy}>
            {t('common:actions.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
