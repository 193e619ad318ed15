import { Badge, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { AccountStatus, AlertState, BillingMode } from '../../../../../src-shared/api/accounts';

/** Active / frozen, and the prepaid alert state (only when it is not ok), side by side. */
export function AccountStateBadges({ status, alertState }: { status: AccountStatus; alertState: AlertState }) {
  const { t } = useTranslation();
  return (
    <Group gap={4} wrap="nowrap">
      <Badge variant="dot" color={status === 'frozen' ? 'blue' : 'green'} miw="max-content">
        {t(`accounts:status.${status}`)}
      </Badge>
      {alertState !== 'ok' && (
        <Badge variant="light" color={alertState === 'exhausted' ? 'red' : 'orange'} miw="max-content">
          {t(`accounts:alert.${alertState}`)}
        </Badge>
      )}
    </Group>
  );
}

export function BillingModeBadge({ mode }: { mode: BillingMode }) {
  const { t } = useTranslation();
  return (
    <Badge variant="outline" color={mode === 'prepaid' ? 'teal' : 'grape'} miw="max-content">
      {t(`accounts:mode.${mode}`)}
    </Badge>
  );
}
