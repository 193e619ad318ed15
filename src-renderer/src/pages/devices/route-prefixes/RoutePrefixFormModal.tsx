import { Modal, NumberInput, Stack, Textarea, TextInput } from '@mantine/core';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { routePrefixMethods, type RoutePrefix } from '../../../../../src-shared/api/route-prefixes';
import { call } from '../../../api/client';
import { useContractForm } from '../../../hooks/useContractForm';
import { useContractSubmit } from '../../../hooks/useContractSubmit';
import { FormActions } from '../../../components/FormActions';

type Values = {
  prefix: string;
  minRemainingLength: number | string;
  replacement: string;
  position: number | string;
  notes: string;
};

/** Add a rule to a device (`rule` absent) or change one. */
export function RoutePrefixFormModal({
  opened,
  deviceId,
  rule,
  ruleCount,
  onClose,
  onSaved,
}: {
  opened: boolean;
  deviceId: number;
  rule: RoutePrefix | null;
  ruleCount: number;
  onClose(): void;
  onSaved(rule: RoutePrefix, created: boolean): void;
}) {
  const { t } = useTranslation();
  const form = useContractForm({
    initialValues: { prefix: '', minRemainingLength: 0, replacement: '', position: '', notes: '' } as Values,
    schema: routePrefixMethods['routePrefixes.create'].input,
    toInput: (v) => ({
      deviceId,
      prefix: v.prefix,
      minRemainingLength: Number(v.minRemainingLength) || 0,
      replacement: v.replacement,
      notes: v.notes,
      ...(v.position !== '' ? { position: Number(v.position) } : {}),
    }),
  });

  useEffect(() => {
    if (!opened) return;
    form.load({
      prefix: rule?.prefix ?? '',
      minRemainingLength: rule?.minRemainingLength ?? 3,
      replacement: rule?.replacement ?? '',
      position: rule?.position ?? ruleCount + 1,
      notes: rule?.notes ?? '',
    });
    sending.clearFailure();
  }, [opened, rule, ruleCount]);

  const sending = useContractSubmit(form, async (input) => {
    // An update names the rule, not its device.
    const saved = rule
      ? await call('routePrefixes.update', { id: rule.id, prefix: input.prefix, minRemainingLength: input.minRemainingLength, replacement: input.replacement, notes: input.notes, position: input.position })
      : await call('routePrefixes.create', input);
    onSaved(saved, !rule);
    onClose();
  });
  return (
    <Modal
      opened={opened}
      onClose={sending.busy ? () => undefined : onClose}
      title={rule ? t('routePrefixes:form.editTitle', { position: rule.position }) : t('routePrefixes:form.createTitle')}
      centered
    >
      <form onSubmit={sending.submit} noValidate>
        <Stack gap="sm">
          <TextInput
            label={t('routePrefixes:fields.prefix')}
            description={t('routePrefixes:form.prefixHelp')}
            required
            data-autofocus
            {...form.getInputProps('prefix')}
          />
          <NumberInput
            label={t('routePrefixes:fields.minRemainingLength')}
            description={t('routePrefixes:form.minRemainingHelp')}
            min={0}
            max={20}
            allowDecimal={false}
            {...form.getInputProps('minRemainingLength')}
          />
          <TextInput
            label={t('routePrefixes:fields.replacement')}
            description={t('routePrefixes:form.replacementHelp')}
            {...form.getInputProps('replacement')}
          />
          <NumberInput
            label={t('routePrefixes:fields.position')}
            description={t('routePrefixes:form.positionHelp')}
            min={1}
            max={rule ? ruleCount : ruleCount + 1}
            allowDecimal={false}
            {...form.getInputProps('position')}
          />
          <Textarea label={t('routePrefixes:fields.notes')} autosize minRows={1} maxRows={4} {...form.text('notes')} />
          <FormActions failure={sending.failureText} busy={sending.busy} onCancel={onClose} submitLabel={rule ? t('common:actions.save') : t('routePrefixes:actions.add')} />
        </Stack>
      </form>
    </Modal>
  );
}
