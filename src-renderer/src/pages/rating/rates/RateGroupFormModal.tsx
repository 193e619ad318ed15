import { Alert, Modal, Stack, TextInput, Textarea } from '@mantine/core';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { ratingMethods, type RateGroup } from '../../../../../src-shared/api/rating';
import { call } from '../../../api/client';
import { useContractForm } from '../../../hooks/useContractForm';
import { useContractSubmit } from '../../../hooks/useContractSubmit';
import { FormActions } from '../../../components/FormActions';
import { currentLanguage } from '../../../../i18n';

/** Create a rate group (it starts with `local` and `inter`) or rename one. */
export function RateGroupFormModal({
  opened,
  group,
  onClose,
  onSaved,
}: {
  opened: boolean;
  group: RateGroup | null;
  onClose(): void;
  onSaved(group: RateGroup, created: boolean): void;
}) {
  const { t } = useTranslation();
  const form = useContractForm({
    initialValues: { name: '', currency: '', notes: '' },
    schema: ratingMethods['rateGroups.create'].input,
    toInput: (v) => {
      const currency = v.currency.trim().toUpperCase();
      return { name: v.name, notes: v.notes, ...(currency ? { currency } : {}) };
    },
  });

  useEffect(() => {
    if (!opened) return;
    form.load({ name: group?.name ?? '', currency: group?.currency ?? '', notes: group?.notes ?? '' });
    sending.clearFailure();
  }, [opened, group]);

  const sending = useContractSubmit(form, async (input) => {
    const saved = group ? await call('rateGroups.update', { id: group.id, ...input }) : await call('rateGroups.create', { ...input, language: currentLanguage() });
    onSaved(saved, !group);
    onClose();
  });
  return (
    <Modal opened={opened} onClose={sending.busy ? () => undefined : onClose} title={group ? t('rating:groupForm.editTitle', { name: group.name }) : t('rating:groupForm.createTitle')} centered>
      <form onSubmit={sending.submit} noValidate>
        <Stack gap="sm">
          <TextInput label={t('rating:fields.groupName')} required data-autofocus {...form.text('name')} />
          <TextInput label={t('rating:fields.currency')} description={t('rating:groupForm.currencyHelp')} maxLength={3} placeholder="CNY" {...form.text('currency')} />
          <Textarea label={t('rating:fields.notes')} autosize minRows={1} maxRows={6} {...form.text('notes')} />
          {!group && (
            <Alert variant="light" color="blue">
              {t('rating:groupForm.seedNote')}
            </Alert>
          )}
          <FormActions failure={sending.failureText} busy={sending.busy} onCancel={onClose} submitLabel={group ? t('common:actions.save') : t('rating:actions.createGroup')} />
        </Stack>
      </form>
    </Modal>
  );
}
