import { Alert, Modal, Stack, TextInput } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { RateGroup } from '../../../../../src-shared/api/rating';
import { call } from '../../../api/client';
import { describeError } from '../../../hooks/notify';
import { useFormFields } from '../../../hooks/useFormFields';
import { FormActions } from '../../../components/FormActions';

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
  const form = useFormFields({ name: '', currency: '', notes: '' });
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);

  useEffect(() => {
    if (!opened) return;
    form.reset({ name: group?.name ?? '', currency: group?.currency ?? '', notes: group?.notes ?? '' });
    setFailure(null);
  }, [opened, group]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const v = form.values;
    if (!v.name.trim()) return form.setErrors({ name: t('rating:form.nameRequired') });
    const currency = v.currency.trim().toUpperCase();
    setBusy(true);
    setFailure(null);
    try {
      const saved = group
        ? await call('rateGroups.update', { id: group.id, name: v.name.trim(), notes: v.notes, ...(currency ? { currency } : {}) })
        : await call('rateGroups.create', { name: v.name.trim(), notes: v.notes, ...(currency ? { currency } : {}) });
      onSaved(saved, !group);
      onClose();
    } catch (err) {
      if (!form.applyApiError(err)) setFailure(err);
    } finally {
      setBusy(false);
    }
  };

  const failureText = failure ? describeError(failure, t) : null;
  return (
    <Modal opened={opened} onClose={busy ? () => undefined : onClose} title={group ? t('rating:groupForm.editTitle', { name: group.name }) : t('rating:groupForm.createTitle')} centered>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <TextInput label={t('rating:fields.groupName')} required data-autofocus maxLength={100} {...form.text('name')} />
          <TextInput label={t('rating:fields.currency')} description={t('rating:groupForm.currencyHelp')} maxLength={3} placeholder="CNY" {...form.text('currency')} />
          <TextInput label={t('rating:fields.notes')} maxLength={2000} {...form.text('notes')} />
          {!group && (
            <Alert variant="light" color="blue">
              {t('rating:groupForm.seedNote')}
            </Alert>
          )}
          <FormActions failure={failureText} busy={busy} onCancel={onClose} submitLabel={group ? t('common:actions.save') : t('rating:actions.createGroup')} />
        </Stack>
      </form>
    </Modal>
  );
}
