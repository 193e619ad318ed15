import { Checkbox, Modal, PasswordInput, Select, SimpleGrid, Stack, Switch, TagsInput, TextInput, Textarea } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { UserAccount } from '../../../../src-shared/api/accounts';
import type { Device } from '../../../../src-shared/api/devices';
import { isMoneyText } from '../../../../src-shared/domain/money';
import { call } from '../../api/client';
import { describeError } from '../../hooks/notify';
import { useApiQuery } from '../../hooks/useApiQuery';
import { useFormFields } from '../../hooks/useFormFields';
import { EnterpriseSelect } from './components/EnterpriseSelect';
import { MoneyInput } from './components/MoneyInput';
import { RateGroupSelect } from './components/RateGroupSelect';
import { FormActions } from '../../components/FormActions';

const money2 = (amount: string | null) => (amount === null ? '' : amount.replace(/(\.\d\d)00$/, '$1'));
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
  const form = useFormFields({
    enterpriseId: '',
    name: '',
    code: '',
    device: '',
    cardNumber: '',
    pin: '',
    removePin: false as boolean,
    ownBalance: false as boolean,
    rateGroupId: '',
    creditLimit: '0',
    lowBalance: '',
    freezeWhenExhausted: false as boolean,
    notes: '',
  });
  const [extensions, setExtensions] = useState<string[]>([]);
  const [extensionsError, setExtensionsError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);

  useEffect(() => {
    if (!opened) return;
    const list = devices.data ?? [];
    const device = user?.extensions[0]?.deviceId ?? list[0]?.id ?? null;
    const nameOf = (id: number) => list.find((d) => d.id === id)?.name ?? String(id);
    setExtensions((user?.extensions ?? []).map((x) => (x.deviceId === device ? x.number : `${nameOf(x.deviceId)}:${x.number}`)));
    setExtensionsError(undefined);
    form.reset({
      enterpriseId: user ? String(user.enterpriseId) : enterpriseId,
      name: user?.name ?? '',
      code: user?.code ?? '',
      device: device === null ? '' : String(device),
      cardNumber: user?.cardNumber ?? '',
      pin: '',
      removePin: false,
      ownBalance: user?.ownBalance ?? false,
      rateGroupId: user?.rateGroupId ? String(user.rateGroupId) : '',
      creditLimit: user ? money2(user.creditLimit) : '0',
      lowBalance: money2(user?.lowBalance ?? null),
      freezeWhenExhausted: user?.freezeWhenExhausted ?? false,
      notes: user?.notes ?? '',
    });
    setFailure(null);
    // Reset when the modal opens (and once the devices arrive, to name extensions of other devices).
  }, [opened, user, devices.data]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const v = form.values;
    const parsed = parseExtensionTags(extensions, v.device ? Number(v.device) : null, devices.data ?? []);
    const problems = {
      enterpriseId: v.enterpriseId ? undefined : t('accounts:form.required'),
      name: v.name.trim() ? undefined : t('accounts:form.required'),
      pin: v.pin === '' || /^\d{4,12}$/.test(v.pin) ? undefined : t('accounts:users.pinRule'),
      creditLimit: isMoneyText(v.creditLimit.trim() || '0') ? undefined : t('accounts:form.moneyRule'),
      lowBalance: v.lowBalance.trim() === '' || isMoneyText(v.lowBalance.trim()) ? undefined : t('accounts:form.moneyRule'),
    };
    form.setErrors(problems);
    setExtensionsError(parsed.bad.length ? t('accounts:users.badExtensions', { list: parsed.bad.join(', ') }) : undefined);
    if (Object.values(problems).some(Boolean) || parsed.bad.length) return;
    const fields = {
      enterpriseId: Number(v.enterpriseId),
      name: v.name.trim(),
      code: v.code.trim() || null,
      extensions: parsed.ok,
      cardNumber: v.cardNumber.trim() || null,
      ownBalance: v.ownBalance,
      rateGroupId: v.rateGroupId ? Number(v.rateGroupId) : null,
      creditLimit: v.creditLimit.trim() || '0',
      lowBalance: v.lowBalance.trim() || null,
      freezeWhenExhausted: v.freezeWhenExhausted,
      notes: v.notes.trim(),
      ...(v.pin ? { pin: v.pin } : v.removePin ? { pin: null } : {}),
    };
    setBusy(true);
    setFailure(null);
    try {
      const saved = editing ? await call('userAccounts.update', { id: user.id, ...fields }) : await call('userAccounts.create', fields);
      onSaved(saved, !editing);
      onClose();
    } catch (err) {
      const fieldsOf = err && typeof err === 'object' && 'details' in err ? (err.details as { fields?: Record<string, string[]> } | undefined)?.fields : undefined;
      const extensionProblem = fieldsOf && Object.entries(fieldsOf).find(([path]) => path.startsWith('extensions'));
      if (extensionProblem) setExtensionsError(extensionProblem[1].join('; '));
      else if (!form.applyApiError(err)) setFailure(err);
    } finally {
      setBusy(false);
    }
  };

  const failureText = failure ? describeError(failure, t) : null;
  const v = form.values;
  return (
    <Modal
      opened={opened}
      onClose={busy ? () => undefined : onClose}
      title={editing ? t('accounts:users.editTitle', { name: user.name }) : t('accounts:users.createTitle')}
      size="lg"
      centered
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <EnterpriseSelect value={v.enterpriseId} onChange={(id) => form.setValue('enterpriseId', id)} required clearable={false} error={form.errors.enterpriseId} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={t('accounts:fields.name')} required maxLength={100} data-autofocus {...form.text('name')} />
            <TextInput label={t('accounts:fields.code')} maxLength={50} {...form.text('code')} />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <Select
              label={t('accounts:fields.device')}
              data={(devices.data ?? []).map((d) => ({ value: String(d.id), label: d.name }))}
              {...form.select('device')}
              allowDeselect={false}
            />
            <TagsInput
              label={t('accounts:fields.extensions')}
              description={t('accounts:users.extensionsHelp')}
              value={extensions}
              onChange={(next) => {
                setExtensions(next);
                setExtensionsError(undefined);
              }}
              splitChars={[',', ';', ' ']}
              error={extensionsError}
              style={{ gridColumn: 'span 2' }}
            />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={t('accounts:fields.cardNumber')} description={t('accounts:users.cardHelp')} maxLength={32} {...form.text('cardNumber')} />
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
          <Switch label={t('accounts:fields.ownBalance')} description={t('accounts:users.ownBalanceHelp')} {...form.checkbox('ownBalance')} />
          {v.ownBalance && (
            <>
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <MoneyInput label={t('accounts:fields.creditLimit')} description={t('accounts:help.creditLimit')} {...form.text('creditLimit')} />
                <MoneyInput label={t('accounts:fields.lowBalance')} description={t('accounts:help.lowBalance')} {...form.text('lowBalance')} />
              </SimpleGrid>
              <Checkbox label={t('accounts:fields.freezeWhenExhausted')} description={t('accounts:help.freezeWhenExhausted')} {...form.checkbox('freezeWhenExhausted')} />
            </>
          )}
          <RateGroupSelect
            label={t('accounts:fields.ownRateGroup')}
            emptyLabel={t('accounts:users.enterpriseRateGroup')}
            value={v.rateGroupId}
            onChange={(id) => form.setValue('rateGroupId', id)}
            error={form.errors.rateGroupId}
          />
          <Textarea label={t('accounts:fields.notes')} autosize minRows={2} maxLength={2000} {...form.text('notes')} />
          <FormActions failure={failureText} busy={busy} onCancel={onClose} submitLabel={editing ? t('common:actions.save') : t('accounts:users.create')} />
        </Stack>
      </form>
    </Modal>
  );
}
