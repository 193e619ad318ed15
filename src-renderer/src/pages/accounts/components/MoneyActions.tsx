import { Anchor, Button, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { accountMethods, type LedgerEntry } from '../../../../../src-shared/api/accounts';
import { formatMoney, isMoneyText, MAX_RECHARGE, parseMoney } from '../../../../../src-shared/domain/money';
import { call } from '../../../api/client';
import { ConfirmActionModal } from '../../../components/ConfirmActionModal';
import { withLength } from '../../../components/LengthCount';
import { contractProblems, maxLengthOf } from '../../../hooks/contractForm';
import { useContractMessages } from '../../../hooks/useContractForm';
import { exceedsMoneyBound } from '../../../format/money';
import { useFormatters } from '../../../hooks/useFormatters';
import { MoneyInput } from './MoneyInput';

export type MoneyActionKind = 'recharge' | 'refund' | 'adjust' | 'freeze' | 'unfreeze';

/** The account a money action is for, as the list shows it. */
export interface MoneyActionTarget {
  accountId: number;
  name: string;
  balance: string;
}

const METHODS = ['cash', 'transfer', 'card', 'other'] as const;
/** The payment reference as the contract takes it (kept whole with the ledger entry), and its limit. */
const REFERENCE = accountMethods['accounts.recharge'].input.shape.reference;
const REFERENCE_MAX = maxLengthOf(REFERENCE) ?? 0;

/** Where a ledger entry is shown: the ledger of the account it belongs to, with the entry marked. */
export const ledgerEntryHref = (entry: Pick<LedgerEntry, 'accountId' | 'id'>) => `#/accounts/ledger/${entry.accountId}?entry=${entry.id}`;

interface Draft {
  amount: string;
  method: string;
  reference: string;
}

/**
 * Recharge, refund, adjust, freeze and unfreeze from a list row: the amount first (with payment method and reference
 * where they apply), then the shared confirmation (reason; amount in digits and words), then a notification linking
 * to the ledger entry. `open(kind, account)` starts it; render `modals` once on the page.
 */
export function useMoneyActions(onDone?: () => void): { open(kind: MoneyActionKind, target: MoneyActionTarget): void; modals: ReactNode } {
  const { t } = useTranslation();
  const f = useFormatters();
  const messages = useContractMessages();
  const [kind, setKind] = useState<MoneyActionKind>('recharge');
  const [target, setTarget] = useState<MoneyActionTarget | null>(null);
  const [amountOpened, setAmountOpened] = useState(false);
  const [confirmOpened, setConfirmOpened] = useState(false);
  const [draft, setDraft] = useState<Draft>({ amount: '', method: 'transfer', reference: '' });
  const [amountError, setAmountError] = useState<string | undefined>();

  const open = (next: MoneyActionKind, account: MoneyActionTarget) => {
    setKind(next);
    setTarget(account);
    setDraft({ amount: '', method: 'transfer', reference: '' });
    setAmountError(undefined);
    if (next === 'freeze' || next === 'unfreeze') setConfirmOpened(true);
    else setAmountOpened(true);
  };

  // The contract's bound (MAX_RECHARGE), said as the clerk types: no amount beyond it reaches the confirmation.
  const tooLarge = exceedsMoneyBound(draft.amount, MAX_RECHARGE)
    ? t('money:tooLarge.recharge', { max: f.money(formatMoney(MAX_RECHARGE)) })
    : undefined;

  const referenceProblem = contractProblems(REFERENCE, draft.reference, () => 'reference', messages.issue).fields['reference'];

  const continueToConfirm = (event: FormEvent) => {
    event.preventDefault();
    const text = draft.amount.trim();
    if (tooLarge || referenceProblem) return;
    const valid = isMoneyText(text) && (kind === 'adjust' ? parseMoney(text) !== 0 : parseMoney(text) > 0);
    if (!valid) {
      setAmountError(t(kind === 'adjust' ? 'accounts:money.adjustAmountRule' : 'accounts:money.amountRule'));
      return;
    }
    setAmountOpened(false);
    setConfirmOpened(true);
  };

  const run = async (reason: string) => {
    if (!target) return;
    const accountId = target.accountId;
    const withPayment = { method: draft.method, ...(draft.reference.trim() ? { reference: draft.reference.trim() } : {}) };
    const entry =
      kind === 'recharge'
        ? await call('accounts.recharge', { accountId, amount: draft.amount.trim(), reason, ...withPayment })
        : kind === 'refund'
          ? await call('accounts.refund', { accountId, amount: draft.amount.trim(), reason, ...withPayment })
          : kind === 'adjust'
            ? await call('accounts.adjust', { accountId, amount: draft.amount.trim(), reason })
            : kind === 'freeze'
              ? await call('accounts.freeze', { accountId, reason })
              : await call('accounts.unfreeze', { accountId, reason });
    notifications.show({
      color: 'green',
      autoClose: 10_000,
      title: t(`accounts:money.done.${kind}`, { name: entry.accountName }),
      message: (
        <Stack gap={2}>
          {kind !== 'freeze' && kind !== 'unfreeze' && (
            <Text size="sm">{t('accounts:money.balanceNow', { amount: f.money(entry.amount), balance: f.money(entry.balanceAfter) })}</Text>
          )}
          <Anchor href={ledgerEntryHref(entry)} size="sm">
            {t('accounts:money.viewEntry', { id: entry.id })}
          </Anchor>
        </Stack>
      ),
    });
    // The lists and the ledger showing this account refresh by themselves (api/invalidation.ts).
    onDone?.();
  };

  const amountForConfirm = kind === 'refund' && isMoneyText(draft.amount.trim()) ? `-${draft.amount.trim()}` : draft.amount.trim();
  const withPayment = kind === 'recharge' || kind === 'refund';
  const modals = (
    <>
      <Modal opened={amountOpened} onClose={() => setAmountOpened(false)} title={t(`accounts:money.title.${kind}`, { name: target?.name ?? '' })} centered>
        <form onSubmit={continueToConfirm} noValidate>
          <Stack gap="sm">
            <Text size="sm" c="dimmed">
              {t('accounts:money.balanceBefore', { balance: target ? f.money(target.balance) : '' })}
            </Text>
            <MoneyInput
              label={t('accounts:money.amount')}
              description={kind === 'adjust' ? t('accounts:money.adjustHelp') : undefined}
              required
              value={draft.amount}
              error={amountError ?? tooLarge}
              onChange={(event) => {
                setDraft({ ...draft, amount: event.currentTarget.value });
                setAmountError(undefined);
              }}
              data-autofocus
            />
            {withPayment && (
              <Group grow align="flex-start">
                <Select
                  label={t('accounts:money.method')}
                  data={METHODS.map((m) => ({ value: m, label: t(`accounts:money.methods.${m}`) }))}
                  value={draft.method}
                  onChange={(method) => setDraft({ ...draft, method: method ?? 'other' })}
                  allowDeselect={false}
                />
                <TextInput
                  label={t('accounts:money.reference')}
                  description={withLength(undefined, draft.reference.length, REFERENCE_MAX)}
                  error={referenceProblem}
                  value={draft.reference}
                  onChange={(event) => setDraft({ ...draft, reference: event.currentTarget.value })}
                />
              </Group>
            )}
            <Group justify="flex-end" gap="xs">
              <Button variant="default" onClick={() => setAmountOpened(false)}>
                {t('common:actions.cancel')}
              </Button>
              <Button type="submit">{t('accounts:money.continue')}</Button>
            </Group>
          </Stack>
        </form>
      </Modal>
      <ConfirmActionModal
        opened={confirmOpened}
        onClose={() => setConfirmOpened(false)}
        title={t(`accounts:money.title.${kind}`, { name: target?.name ?? '' })}
        message={t(`accounts:money.confirm.${kind}`, { name: target?.name ?? '' })}
        confirmLabel={t(`accounts:money.action.${kind}`)}
        color={kind === 'recharge' || kind === 'unfreeze' ? 'green' : kind === 'adjust' ? 'blue' : 'red'}
        // Only a valid amount is shown (the confirmation formats it as soon as it renders).
        {...(kind !== 'freeze' && kind !== 'unfreeze' && isMoneyText(amountForConfirm) ? { amount: amountForConfirm } : {})}
        onConfirm={run}
      />
    </>
  );
  return { open, modals };
}
