import { Modal, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Extension } from '../../../../../src-shared/api/accounts';
import { call } from '../../../api/client';
import { describeError } from '../../../hooks/notify';
import { useFormFields } from '../../../hooks/useFormFields';
import { UserSelect } from '../components/UserSelect';
import { FormActions } from '../../../components/FormActions';

/**
 * Add an extension to a device, edit one (label and owner), or adopt a number seen in the CDRs (`number` given): the
 * owner's user account then pays for the extension's calls.
 */
export function ExtensionFormModal({
  opened,
  deviceId,
  extension,
  adoptNumber,
  onClose,
  onSaved,
}: {
  opened: boolean;
  deviceId: number;
  extension: Extension | null;
  adoptNumber?: string | null;
  onClose(): void;
  onSaved(saved: Extension, created: boolean): void;
}) {
  const { t } = useTranslation();
  const editing = extension !== null;
  const form = useFormFields({ number: '', name: '', userAccountId: '' });
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);

  useEffect(() => {
    if (!opened) return;
    form.reset({
      number: extension?.number ?? adoptNumber ?? '',
      name: extension?.name ?? '',
      userAccountId: extension?.userAccountId ? String(extension.userAccountId) : '',
    });
    setFailure(null);
    // Reset only when the modal opens.
  }, [opened, extension, adoptNumber]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const v = form.values;
    if (!editing && !/^[0-9*#+]{1,20}$/.test(v.number.trim())) {
      form.setError('number', t('accounts:extensions.numberRule'));
      return;
    }
    setBusy(true);
    setFailure(null);
    try {
      const userAccountId = v.userAccountId ? Number(v.userAccountId) : null;
      const saved = editing
        ? await call('extensions.update', { id: extension.id, name: v.name.trim(), userAccountId })
        : await call('extensions.create', { deviceId, number: v.number.trim(), name: v.name.trim(), userAccountId });
      onSaved(saved, !editing);
      onClose();
    } catch (err) {
      if (!form.applyApiError(err)) setFailure(err);
    } finally {
      setBusy(false);
    }
  };

  const failureText = failure ? describeError(failure, t) : null;
  const title = editing
    ? t('accounts:extensions.editTitle', { number: extension.number })
    : adoptNumber
      ? t('accounts:extensions.adoptTitle', { number: adoptNumber })
      : t('accounts:extensions.createTitle');
  return (
    <Modal opened={opened} onClose={busy ? () => undefined : onClose} title={title} centered>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {adoptNumber && (
            <Text size="sm" c="dimmed">
              {t('accounts:extensions.adoptHelp')}
            </Text>
          )}
          <TextInput
            label={t('accounts:extensions.number')}
            required
            maxLength={20}
            disabled={editing || Boolean(adoptNumber)}
            data-autofocus={!editing && !adoptNumber ? true : undefined}
            {...form.text('number')}
          />
          <TextInput label={t('accounts:extensions.name')} maxLength={100} data-autofocus={editing || adoptNumber ? true : undefined} {...form.text('name')} />
          <UserSelect
            label={t('accounts:extensions.owner')}
            description={t('accounts:extensions.ownerHelp')}
            value={form.values.userAccountId}
            onChange={(id) => form.setValue('userAccountId', id)}
            error={form.errors.userAccountId}
          />
          <FormActions failure={failureText} busy={busy} onCancel={onClose} submitLabel={editing ? t('common:actions.save') : adoptNumber ? t('accounts:extensions.adopt') : t('accounts:extensions.create')} />
        </Stack>
      </form>
    </Modal>
  );
}
