import { Text } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { SYSTEM_LEDGER_REASONS, SYSTEM_OPERATOR } from '../../../../../src-shared/api/accounts';

const REASON_KEYS = new Map<string, string>(Object.entries(SYSTEM_LEDGER_REASONS).map(([key, text]) => [text, key]));

/** Who moved the money: a clerk's login name as entered (data), or the billing engine itself in words. */
export function OperatorText({ operator }: { operator: string }) {
  const { t } = useTranslation();
  if (operator === SYSTEM_OPERATOR) return <Text size="sm">{t('accounts:ledger.systemOperator')}</Text>;
  return (
    <Text size="sm" translate="no">
      {operator}
    </Text>
  );
}

/** A ledger entry's reason: a person's words as written; the engine's own reasons in the clerk's language. */
export function ledgerReason(entry: { operator: string; reason: string | null }, t: TFunction): string {
  const key = entry.operator === SYSTEM_OPERATOR && entry.reason ? REASON_KEYS.get(entry.reason) : undefined;
  return key ? t(`accounts:ledger.systemReasons.${key}`) : (entry.reason ?? '');
}
