import { Modal, Stack, Text, TextInput } from '@mantine/core';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { accountMethods, type Extension } from '../../../../../src-shared/api/accounts';
import { call } from '../../../api/client';
import { useContractForm } from '../../../hooks/useContractForm';
import { useContractSubmit } from '../../../hooks/useContractSubmit';
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
  // An edit changes only the label and owner; the number is the stored one, so the create schema checks both.
  const form = useContractForm({
    initialValues: { number: '', name: '', userAccountId: '' },
    schema: accountMethods['extensions.create'].input,
    toInput: (v) => ({ deviceId, number: v.number, name: v.name, userAccountId: v.userAccountId ? Number(v.userAccountId) : null }),
  });

  useEffect(() => {
    if (!opened) return;
    form.load({
      number: extension?.number ?? adoptNumber ?? '',
      name: extension?.name ?? '',
      userAccountId: extension?.userAccountId ? String(extension.userAccountId) : '',
    });
    sending.clearFailure();
    // Reset only when the modal opens.
  }, [opened, extension, adoptNumber]);

  const sending = useContractSubmit(form, async (input) => {
    const saved = editing
      ? await call('extensions.update', { id: extension.id, name: input.name, userAccountId: input.userAccountId })
      : await call('extensions.create', input);
    onSaved(saved, !editing);
    onClose();
  });
  const title = editing
    ? t('accounts:extensions.editTitle', { number: extension.number })
    : adoptNumber
      ? t('accounts:extensions.adoptTitle', { number: adoptNumber })
      : t('accounts:extensions.createTitle');
  return (
    <Modal opened={opened} onClose={sending.busy ? () => undefined : onClose} title={title} centered>
      <form onSubmit={sending.submit} noValidate>
        <Stack gap="sm">
          {adoptNumber && (
            <Text size="sm" c="dimmed">
              {t('accounts:extensions.adoptHelp')}
            </Text>
          )}
          <TextInput
            label={t('accounts:extensions.number')}
            required
            disabled={editing || Boolean(adoptNumber)}
            data-autofocus={!editing && !adoptNumber ? true : undefined}
            {...form.text('number')}
          />
          <TextInput label={t('accounts:extensions.name')} data-autofocus={editing || adoptNumber ? true : undefined} {...form.text('name')} />
          <UserSelect
            label={t('accounts:extensions.owner')}
            description={t('accounts:extensions.ownerHelp')}
            value={form.values.userAccountId}
            onChange={(id) => form.setFieldValue('userAccountId', id)}
            error={form.errorOf('userAccountId')}
          />
          <FormActions failure={sending.failureText} busy={sending.busy} onCancel={onClose} submitLabel={editing ? t('common:actions.save') : adoptNumber ? t('accounts:extensions.adopt') : t('accounts:extensions.create')} />
        </Stack>
      </form>
    </Modal>
  );
}
