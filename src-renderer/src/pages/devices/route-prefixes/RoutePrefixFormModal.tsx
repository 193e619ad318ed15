import { Modal, NumberInput, Stack, TextInput } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { RoutePrefix } from '../../../../../src-shared/api/route-prefixes';
import { call } from '../../../api/client';
import { describeError } from '../../../hooks/notify';
import { fieldErrorsOf } from '../../../hooks/useFormFields';
import { FormActions } from '../../../components/FormActions';

interface Values {
  prefix: string;
  minRemainingLength: number | string;
  replacement: string;
  position: number | string;
  notes: string;
}

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
  const [values, setValues] = useState<Values>({ prefix: '', minRemainingLength: 0, replacement: '', position: '', notes: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!opened) return;
    setValues({
      prefix: rule?.prefix ?? '',
      minRemainingLength: rule?.minRemainingLength ?? 3,
      replacement: rule?.replacement ?? '',
      position: rule?.position ?? ruleCount + 1,
      notes: rule?.notes ?? '',
    });
    setErrors({});
    setFailure(null);
  }, [opened, rule, ruleCount]);

  const set = <K extends keyof Values>(key: K, value: Values[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    setErrors((e) => ({ ...e, [key]: '' }));
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const local: Record<string, string> = {};
    if (!/^\d{1,15}$/.test(values.prefix.trim())) local.prefix = t('routePrefixes:form.prefixRule');
    if (!/^\+?\d{0,15}$/.test(values.replacement.trim())) local.replacement = t('routePrefixes:form.replacementRule');
    if (Object.keys(local).length) return setErrors(local);
    const fields = {
      prefix: values.prefix.trim(),
      minRemainingLength: Number(values.minRemainingLength) || 0,
      replacement: values.replacement.trim(),
      notes: values.notes,
      ...(values.position !== '' ? { position: Number(values.position) } : {}),
    };
    setBusy(true);
    setFailure(null);
    try {
      const saved = rule
        ? await call('routePrefixes.update', { id: rule.id, ...fields })
        : await call('routePrefixes.create', { deviceId, ...fields });
      onSaved(saved, !rule);
      onClose();
    } catch (err) {
      const fieldErrors = fieldErrorsOf(err);
      if (fieldErrors) setErrors(fieldErrors);
      else setFailure(err);
    } finally {
      setBusy(false);
    }
  };

  const failureText = failure ? describeError(failure, t) : null;
  return (
    <Modal
      opened={opened}
      onClose={busy ? () => undefined : onClose}
      title={rule ? t('routePrefixes:form.editTitle', { position: rule.position }) : t('routePrefixes:form.createTitle')}
      centered
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <TextInput
            label={t('routePrefixes:fields.prefix')}
            description={t('routePrefixes:form.prefixHelp')}
            required
            data-autofocus
            value={values.prefix}
            error={errors.prefix}
            onChange={(e) => set('prefix', e.currentTarget.value)}
          />
          <NumberInput
            label={t('routePrefixes:fields.minRemainingLength')}
            description={t('routePrefixes:form.minRemainingHelp')}
            min={0}
            max={20}
            allowDecimal={false}
            value={values.minRemainingLength}
            error={errors.minRemainingLength}
            onChange={(v) => set('minRemainingLength', v)}
          />
          <TextInput
            label={t('routePrefixes:fields.replacement')}
            description={t('routePrefixes:form.replacementHelp')}
            value={values.replacement}
            error={errors.replacement}
            onChange={(e) => set('replacement', e.currentTarget.value)}
          />
          <NumberInput
            label={t('routePrefixes:fields.position')}
            description={t('routePrefixes:form.positionHelp')}
            min={1}
            max={rule ? ruleCount : ruleCount + 1}
            allowDecimal={false}
            value={values.position}
            error={errors.position}
            onChange={(v) => set('position', v)}
          />
          <TextInput label={t('routePrefixes:fields.notes')} maxLength={500} value={values.notes} onChange={(e) => set('notes', e.currentTarget.value)} />
          <FormActions failure={failureText} busy={busy} onCancel={onClose} submitLabel={rule ? t('common:actions.save') : t('routePrefixes:actions.add')} />
        </Stack>
      </form>
    </Modal>
  );
}
