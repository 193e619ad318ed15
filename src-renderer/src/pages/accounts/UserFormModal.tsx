import { Checkbox, Modal, PasswordInput, Select, SimpleGrid, Stack, TagsInput, TextInput, Textarea } from '@mantine/core';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { userAccountCreateInput, type UserAccount } from '../../../../src-shared/api/accounts';
import type { Device } from '../../../../src-shared/api/devices';
import { call } from '../../api/client';
import { chosenId, orNull } from '../../hooks/contractForm';
import { useApiQuery } from '../../hooks/useApiQuery';
import { useContractForm } from '../../hooks/useContractForm';
import { useContractSubmit } from '../../hooks/useContractSubmit';
import { EnterpriseSelect } from './components/EnterpriseSelect';
import { RateGroupSelect } from './components/RateGroupSelect';
import { FormActions } from '../../components/FormActions';
import { moneyFieldText, OwnBalanceFields } from './components/OwnBalanceFields';

const NUMBER = /^[0-9*#+]{1,20}$/;

/** "8001" (on the chosen device) or "Branch:8001" (another device, by name or id) -> { deviceId, number }. */
function parseExtensionTags(tags: string[], defaultDevice: number | null, devices: Device[]): { ok: { deviceId: number; number: string }[]; bad: string[] } {
  const ok: { deviceId: number; number: string }[] = [];
  const bad: string[] = [];
  for (const tag of tags) {
    const colon = tag.lastIndexOf(':');
    const deviceText = colon > 0 ? tag.slice(0, colon).trim() : '';
    const number = (colon > 0 ? tag.slice(colon + 1) : tag).trim();
    const device = deviceText ? devices.find((d) => String(d.id) === deviceText || d.name.toLowerCase() === deviceText.toLowerCase()) : devices.find((d) => d.id === defaultDevice);
    if (!device || !NUMBER.test(number)) bad.push(tag);
    else ok.push({ deviceId: device.id, number });
  }
  return { ok, bad };
}

/** Create a user account (`user` null) or edit one: extensions, card number and PIN, own or shared balance. */
export function UserFormModal({
  opened,
  user,
  enterpriseId,
  onClose,
  onSaved,
}: {
  opened: boolean;
  user: UserAccount | null;
  /** The enterprise a new user starts in (the list's filter). */
  enterpriseId: string;
  onClose(): void;
  onSaved(saved: UserAccount, created: boolean): void;
}) {
  const { t } = useTranslation();
  const editing = user !== null;
  const devices = useApiQuery('devices.list', {});
  const parseTags = (v: { extensions: string[]; device: string }) => parseExtensionTags(v.extensions, v.device ? Number(v.device) : null, devices.data ?? []);
  const form = useContractForm({
    initialValues: {
      enterpriseId: '',
      name: '',
      code: '',
      device: '',
      /** "8001" on the chosen device, or "Branch:8001". */
      extensions: [] as string[],
      cardNumber: '',
      pin: '',
      removePin: false as boolean,
      ownBalance: false as boolean,
      rateGroupId: '',
      creditLimit: '0',
      lowBalance: '',
      freezeWhenExhausted: false as boolean,
      notes: '',
    },
    schema: userAccountCreateInput,
    toInput: (v) => ({
      enterpriseId: chosenId(v.enterpriseId),
      name: v.name,
      code: orNull(v.code),
      extensions: parseTags(v).ok,
      cardNumber: orNull(v.cardNumber),
      ownBalance: v.ownBalance,
      rateGroupId: v.rateGroupId ? Number(v.rateGroupId) : null,
      creditLimit: v.creditLimit.trim() || '0',
      lowBalance: orNull(v.lowBalance.trim()),
      freezeWhenExhausted: v.freezeWhenExhausted,
      notes: v.notes,
      ...(v.pin ? { pin: v.pin } : v.removePin ? { pin: null } : {}),
    }),
    // Tags naming no device, or not numbers, never reach the input: say which.
    extraChecks: (v) => {
      const bad = parseTags(v).bad;
      return { extensions: bad.length ? t('accounts:users.badExtensions', { list: bad.join(', ') }) : undefined };
    },
  });

  useEffect(() => {
    if (!opened) return;
    const list = devices.data ?? [];
    const device = user?.extensions[0]?.deviceId ?? list[0]?.id ?? null;
    const nameOf = (id: number) => list.find((d) => d.id === id)?.name ?? String(id);
    form.load({
      enterpriseId: user ? String(user.enterpriseId) : enterpriseId,
      name: user?.name ?? '',
      code: user?.code ?? '',
      device: device === null ? '' : String(device),
      extensions: (user?.extensions ?? []).map((x) => (x.deviceId === device ? x.number : `${nameOf(x.deviceId)}:${x.number}`)),
      cardNumber: user?.cardNumber ?? '',
      pin: '',
      removePin: false,
      ownBalance: user?.ownBalance ?? false,
      rateGroupId: user?.rateGroupId ? String(user.rateGroupId) : '',
      creditLimit: user ? moneyFieldText(user.creditLimit) : '0',
      lowBalance: moneyFieldText(user?.lowBalance ?? null),
      freezeWhenExhausted: user?.freezeWhenExhausted ?? false,
      notes: user?.notes ?? '',
    });
    sending.clearFailure();
    // Reset when the modal opens (and once the devices arrive, to name extensions of other devices).
  }, [opened, user, devices.data]);

  const sending = useContractSubmit(form, async (fields) => {
    const saved = editing ? await call('userAccounts.update', { id: user.id, ...fields }) : await call('userAccounts.create', fields);
    onSaved(saved, !editing);
    onClose();
  });
  const v = form.values;
  return (
    <Modal
      opened={opened}
      onClose={sending.busy ? () => undefined : onClose}
      title={editing ? t('accounts:users.editTitle', { name: user.name }) : t('accounts:users.createTitle')}
      size="lg"
      centered
    >
      <form onSubmit={sending.submit} noValidate>
        <Stack gap="sm">
          <EnterpriseSelect value={v.enterpriseId} onChange={(id) => form.setFieldValue('enterpriseId', id)} required clearable={false} error={form.errorOf('enterpriseId')} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={t('accounts:fields.name')} required data-autofocus {...form.text('name')} />
            <TextInput label={t('accounts:fields.code')} {...form.text('code')} />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <Select
              label={t('accounts:fields.device')}
              data={(devices.data ?? []).map((d) => ({ value: String(d.id), label: d.name }))}
              {...form.getInputProps('device')}
              allowDeselect={false}
            />
            <TagsInput
              label={t('accounts:fields.extensions')}
              description={t('accounts:users.extensionsHelp')}
              {...form.getInputProps('extensions')}
              splitChars={[',', ';', ' ']}
              style={{ gridColumn: 'span 2' }}
            />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={t('accounts:fields.cardNumber')} description={t('accounts:users.cardHelp')} {...form.text('cardNumber')} />
            <Stack gap={4}>
              <PasswordInput
                label={t('accounts:fields.pin')}
                description={editing && user.hasPin ? t('accounts:users.pinKeep') : t('accounts:users.pinRule')}
                autoComplete="new-password"
                inputMode="numeric"
                disabled={v.removePin}
                {...form.text('pin')}
              />
              {editing && user.hasPin && <Checkbox size="xs" label={t('accounts:users.removePin')} {...form.checkbox('removePin')} />}
            </Stack>
          </SimpleGrid>
          <OwnBalanceFields form={form} on={v.ownBalance} help={t('accounts:users.ownBalanceHelp')} />
          <RateGroupSelect
            label={t('accounts:fields.ownRateGroup')}
            emptyLabel={t('accounts:users.enterpriseRateGroup')}
            value={v.rateGroupId}
            onChange={(id) => form.setFieldValue('rateGroupId', id)}
            error={form.errorOf('rateGroupId')}
          />
          <Textarea label={t('accounts:fields.notes')} autosize minRows={2} maxRows={8} {...form.text('notes')} />
          <FormActions failure={sending.failureText} busy={sending.busy} onCancel={onClose} submitLabel={editing ? t('common:actions.save') : t('accounts:users.create')} />
        </Stack>
      </form>
    </Modal>
  );
}
