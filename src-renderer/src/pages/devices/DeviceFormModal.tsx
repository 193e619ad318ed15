import { Modal, Stack } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Device } from '../../../../src-shared/api/devices';
import type { CdrFormat } from '../../../../src-shared/domain/cdr';
import { call } from '../../api/client';
import { describeError } from '../../hooks/notify';
import { usePreferences } from '../../preferences/PreferencesProvider';
import { GeneralSection, GenericCsvSection, NumberingSection, SftpSection } from './DeviceFormSections';
import { deviceFormValues, FORMATS_WITH_SETTINGS } from './deviceFormModel';
import { useDeviceForm } from './useDeviceForm';
import { FormatSettingsSection } from './DeviceFormatSettings';
import { FormActions } from '../../components/FormActions';

/** Add a device (`device` null) or edit one: numbering plan, addresses, format settings, SFTP pulling. */
export function DeviceFormModal({
  opened,
  device,
  onClose,
  onSaved,
}: {
  opened: boolean;
  device: Device | null;
  onClose(): void;
  onSaved(device: Device, created: boolean): void;
}) {
  const { t } = useTranslation();
  const { timeZone } = usePreferences();
  const form = useDeviceForm(timeZone);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);

  useEffect(() => {
    if (!opened) return;
    form.load(deviceFormValues(device, timeZone));
    setFailure(null);
    // Reset only when the modal opens for a device, not on every render of the form.
  }, [opened, device]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!form.check()) return;
    setBusy(true);
    setFailure(null);
    try {
      const input = form.input();
      const saved = device ? await call('devices.update', { id: device.id, ...input }) : await call('devices.create', input);
      onSaved(saved, !device);
      onClose();
    } catch (err) {
      // The alert says what the engine said as well: a field's message may concern a setting without its own input.
      form.applyApiError(err);
      setFailure(err);
    } finally {
      setBusy(false);
    }
  };

  const failureText = failure ? describeError(failure, t) : form.problem ? { title: t('errors:invalid_input'), message: form.problem } : null;
  return (
    <Modal
      opened={opened}
      onClose={busy ? () => undefined : onClose}
      title={device ? t('devices:form.editTitle', { name: device.name }) : t('devices:form.createTitle')}
      size="xl"
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <GeneralSection form={form} />
          <NumberingSection form={form} />
          {form.values['format'] === 'generic-csv' && <GenericCsvSection form={form} />}
          {FORMATS_WITH_SETTINGS.includes(form.values['format'] as CdrFormat) && <FormatSettingsSection form={form} />}
          <SftpSection form={form} device={device} />
          <FormActions failure={failureText} busy={busy} onCancel={onClose} submitLabel={device ? t('common:actions.save') : t('devices:actions.create')} />
        </Stack>
      </form>
    </Modal>
  );
}
