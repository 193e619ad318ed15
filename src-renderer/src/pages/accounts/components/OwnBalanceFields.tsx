import { Checkbox, SimpleGrid, Switch } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ContractForm } from '../../../hooks/useContractForm';
import { MoneyInput } from './MoneyInput';

/** A stored amount as a form shows it: "12.5000" -> "12.50" (the 4 places stay when they mean something). */
export const moneyFieldText = (amount: string | null) => (amount === null ? '' : amount.replace(/(\.\d\d)00$/, '$1'));

/**
 * A user's or gateway's own balance: the switch, then its credit limit, low-balance alert and freeze rule. The
 * form's fields are named ownBalance, creditLimit, lowBalance and freezeWhenExhausted.
 */
export function OwnBalanceFields({
  form,
  on,
  help,
}: {
  form: Pick<ContractForm<Record<string, unknown>, never>, 'text' | 'checkbox'>;
  /** The switch's state (the form's ownBalance value). */
  on: boolean;
  /** What an own balance means for this kind of account. */
  help: string;
}) {
  const { t } = useTranslation();
  return (
    <>
      <Switch label={t('accounts:fields.ownBalance')} description={help} {...form.checkbox('ownBalance')} />
      {on && (
        <>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <MoneyInput label={t('accounts:fields.creditLimit')} description={t('accounts:help.creditLimit')} {...form.text('creditLimit')} />
            <MoneyInput label={t('accounts:fields.lowBalance')} description={t('accounts:help.lowBalance')} {...form.text('lowBalance')} />
          </SimpleGrid>
          <Checkbox label={t('accounts:fields.freezeWhenExhausted')} description={t('accounts:help.freezeWhenExhausted')} {...form.checkbox('freezeWhenExhausted')} />
        </>
      )}
    </>
  );
}
