import { Checkbox, Modal, SegmentedControl, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { enterpriseCreateInput, type Enterprise } from '../../../../src-shared/api/accounts';
import { call } from '../../api/client';
import { chosenId, orNull } from '../../hooks/contractForm';
import { useContractForm } from '../../hooks/useContractForm';
import { useContractSubmit } from '../../hooks/useContractSubmit';
import { MoneyInput } from './components/MoneyInput';
import { RateGroupSelect } from './components/RateGroupSelect';
import { FormActions } from '../../components/FormActions';
import { moneyFieldText } from './components/OwnBalanceFields';


const EMPTY = {
  name: '',
  code: '',
  rateGroupId: '',
  billingMode: 'prepaid' as 'prepaid' | 'postpaid',
  creditLimit: '0',
  lowBalance: '',
  freezeWhenExhausted: false as boolean,
  contact: '',
  phone: '',
  email: '',
  notes: '',
};

/** The method input of the form's values (the contract's own schema checks it, here and in the engine). */
const toInput = (v: typeof EMPTY) => ({
  name: v.name,
  code: orNull(v.code),
  rateGroupId: chosenId(v.rateGroupId),
  billingMode: v.billingMode,
  creditLimit: v.creditLimit.trim() || '0',
  lowBalance: orNull(v.lowBalance.trim()),
  freezeWhenExhausted: v.freezeWhenExhausted,
  contact: v.contact,
  phone: v.phone,
  email: v.email,
  notes: v.notes,
});

/** Create an enterprise (`enterprise` null) or edit one; the balance changes only through recharges and the ledger. */
export function EnterpriseFormModal({
  opened,
  enterprise,
  onClose,
  onSaved,
}: {
  opened: boolean;
  enterprise: Enterprise | null;
  onClose(): void;
  onSaved(saved: Enterprise, created: boolean): void;
}) {
  const { t } = useTranslation();
  const editing = enterprise !== null;
  const form = useContractForm({ initialValues: EMPTY, schema: enterpriseCreateInput, toInput });

  useEffect(() => {
    if (!opened) return;
    form.load({
      name: enterprise?.name ?? '',
      code: enterprise?.code ?? '',
      rateGroupId: enterprise ? String(enterprise.rateGroupId) : '',
      billingMode: enterprise?.billingMode ?? 'prepaid',
      creditLimit: enterprise ? moneyFieldText(enterprise.creditLimit) : '0',
      lowBalance: moneyFieldText(enterprise?.lowBalance ?? null),
      freezeWhenExhausted: enterprise?.freezeWhenExhausted ?? false,
      contact: enterprise?.contact ?? '',
      phone: enterprise?.phone ?? '',
      email: enterprise?.email ?? '',
      notes: enterprise?.notes ?? '',
    });
    sending.clearFailure();
    // Reset only when the modal opens for an enterprise.
  }, [opened, enterprise]);

  const sending = useContractSubmit(form, async (fields) => {
    const saved = editing ? await call('enterprises.update', { id: enterprise.id, ...fields }) : await call('enterprises.create', fields);
    onSaved(saved, !editing);
    onClose();
  });
  const prepaid = form.values.billingMode === 'prepaid';
  return (
    <Modal
      opened={opened}
      onClose={sending.busy ? () => undefined : onClose}
      title={editing ? t('accounts:enterprises.editTitle', { name: enterprise.name }) : t('accounts:enterprises.createTitle')}
      size="lg"
      centered
    >
      <form onSubmit={sending.submit} noValidate>
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={t('accounts:fields.name')} required data-autofocus {...form.text('name')} />
            <TextInput label={t('accounts:fields.code')} {...form.text('code')} />
          </SimpleGrid>
          <RateGroupSelect
            label={t('accounts:fields.rateGroup')}
            description={t('accounts:enterprises.rateGroupHelp')}
            required
            value={form.values.rateGroupId}
            onChange={(id) => form.setFieldValue('rateGroupId', id)}
            error={form.errorOf('rateGroupId')}
          />
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              {t('accounts:fields.billingMode')}
            </Text>
            <SegmentedControl
              aria-label={t('accounts:fields.billingMode')}
              data={[
                { value: 'prepaid', label: t('accounts:mode.prepaid') },
                { value: 'postpaid', label: t('accounts:mode.postpaid') },
              ]}
              {...form.getInputProps('billingMode')}
            />
            <Text size="xs" c="dimmed">
              {prepaid ? t('accounts:enterprises.prepaidHelp') : t('accounts:enterprises.postpaidHelp')}
            </Text>
          </Stack>
          {prepaid && (
            <>
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <MoneyInput label={t('accounts:fields.creditLimit')} description={t('accounts:help.creditLimit')} {...form.text('creditLimit')} />
                <MoneyInput label={t('accounts:fields.lowBalance')} description={t('accounts:help.lowBalance')} {...form.text('lowBalance')} />
              </SimpleGrid>
              <Checkbox label={t('accounts:fields.freezeWhenExhausted')} description={t('accounts:help.freezeWhenExhausted')} {...form.checkbox('freezeWhenExhausted')} />
            </>
          )}
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <TextInput label={t('accounts:fields.contact')} {...form.text('contact')} />
            <TextInput label={t('accounts:fields.phone')} type="tel" {...form.text('phone')} />
            <TextInput label={t('accounts:fields.email')} type="email" {...form.text('email')} />
          </SimpleGrid>
          <Textarea label={t('accounts:fields.notes')} autosize minRows={2} maxRows={8} {...form.text('notes')} />
          <FormActions failure={sending.failureText} busy={sending.busy} onCancel={onClose} submitLabel={editing ? t('common:actions.save') : t('accounts:enterprises.create')} />
        </Stack>
      </form>
    </Modal>
  );
}
