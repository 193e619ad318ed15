import { Modal, Select, SimpleGrid, Stack, TextInput, Textarea } from '@mantine/core';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { gatewayCreateInput, type GatewayAccount } from '../../../../src-shared/api/accounts';
import { call } from '../../api/client';
import { chosenId, orNull } from '../../hooks/contractForm';
import { useApiQuery } from '../../hooks/useApiQuery';
import { useContractForm } from '../../hooks/useContractForm';
import { useContractSubmit } from '../../hooks/useContractSubmit';
import { EnterpriseSelect } from './components/EnterpriseSelect';
import { RateGroupSelect } from './components/RateGroupSelect';
import { FormActions } from '../../components/FormActions';
import { moneyFieldText, OwnBalanceFields } from './components/OwnBalanceFields';


const EMPTY = {
  enterpriseId: '',
  name: '',
  deviceId: '',
  trunk: '',
  ownBalance: false as boolean,
  rateGroupId: '',
  creditLimit: '0',
  lowBalance: '',
  freezeWhenExhausted: false as boolean,
  notes: '',
};

/** The method input of the form's values (the contract's own schema checks it, here and in the engine). */
const toInput = (v: typeof EMPTY) => ({
  enterpriseId: chosenId(v.enterpriseId),
  name: v.name,
  deviceId: chosenId(v.deviceId),
  trunk: v.trunk,
  ownBalance: v.ownBalance,
  rateGroupId: v.rateGroupId ? Number(v.rateGroupId) : null,
  creditLimit: v.creditLimit.trim() || '0',
  lowBalance: orNull(v.lowBalance.trim()),
  freezeWhenExhausted: v.freezeWhenExhausted,
  notes: v.notes,
});

/** Create a gateway account (`gateway` null) or edit one: the device trunk whose calls it pays for. */
export function GatewayFormModal({
  opened,
  gateway,
  enterpriseId,
  onClose,
  onSaved,
}: {
  opened: boolean;
  gateway: GatewayAccount | null;
  enterpriseId: string;
  onClose(): void;
  onSaved(saved: GatewayAccount, created: boolean): void;
}) {
  const { t } = useTranslation();
  const editing = gateway !== null;
  const devices = useApiQuery('devices.list', {});
  const form = useContractForm({ initialValues: EMPTY, schema: gatewayCreateInput, toInput });

  useEffect(() => {
    if (!opened) return;
    form.load({
      enterpriseId: gateway ? String(gateway.enterpriseId) : enterpriseId,
      name: gateway?.name ?? '',
      deviceId: gateway ? String(gateway.deviceId) : '',
      trunk: gateway?.trunk ?? '',
      ownBalance: gateway?.ownBalance ?? false,
      rateGroupId: gateway?.rateGroupId ? String(gateway.rateGroupId) : '',
      creditLimit: gateway ? moneyFieldText(gateway.creditLimit) : '0',
      lowBalance: moneyFieldText(gateway?.lowBalance ?? null),
      freezeWhenExhausted: gateway?.freezeWhenExhausted ?? false,
      notes: gateway?.notes ?? '',
    });
    sending.clearFailure();
    // Reset only when the modal opens for a gateway.
  }, [opened, gateway]);

  const sending = useContractSubmit(form, async (fields) => {
    const saved = editing ? await call('gateways.update', { id: gateway.id, ...fields }) : await call('gateways.create', fields);
    onSaved(saved, !editing);
    onClose();
  });
  const v = form.values;
  return (
    <Modal
      opened={opened}
      onClose={sending.busy ? () => undefined : onClose}
      title={editing ? t('accounts:gateways.editTitle', { name: gateway.name }) : t('accounts:gateways.createTitle')}
      size="lg"
      centered
    >
      <form onSubmit={sending.submit} noValidate>
        <Stack gap="sm">
          <EnterpriseSelect value={v.enterpriseId} onChange={(id) => form.setFieldValue('enterpriseId', id)} required clearable={false} error={form.errorOf('enterpriseId')} />
          <TextInput label={t('accounts:fields.name')} required data-autofocus {...form.text('name')} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Select
              label={t('accounts:fields.device')}
              required
              data={(devices.data ?? []).map((d) => ({ value: String(d.id), label: d.name }))}
              {...form.getInputProps('deviceId')}
            />
            <TextInput label={t('accounts:fields.trunk')} required {...form.text('trunk', { description: t('accounts:gateways.trunkHelp') })} />
          </SimpleGrid>
          <OwnBalanceFields form={form} on={v.ownBalance} help={t('accounts:gateways.ownBalanceHelp')} />
          <RateGroupSelect
            label={t('accounts:fields.ownRateGroup')}
            emptyLabel={t('accounts:users.enterpriseRateGroup')}
            value={v.rateGroupId}
            onChange={(id) => form.setFieldValue('rateGroupId', id)}
            error={form.errorOf('rateGroupId')}
          />
          <Textarea label={t('accounts:fields.notes')} autosize minRows={2} maxRows={8} {...form.text('notes')} />
          <FormActions failure={sending.failureText} busy={sending.busy} onCancel={onClose} submitLabel={editing ? t('common:actions.save') : t('accounts:gateways.create')} />
        </Stack>
      </form>
    </Modal>
  );
}
