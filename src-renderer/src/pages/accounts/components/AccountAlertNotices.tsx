import { Anchor, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { useApiEvent } from '../../../hooks/useApiEvent';
import { useFormatters } from '../../../hooks/useFormatters';

/**
 * Prepaid balance alerts wherever the clerk is (`accounts.alert`): low, exhausted (and frozen, when the account
 * freezes itself), or back to normal; each links to the account's ledger. One notification per account, replaced
 * when its state changes again.
 */
export function AccountAlertNotices() {
  const { t } = useTranslation();
  const f = useFormatters();
  useApiEvent('accounts.alert', (alert) => {
    const key = alert.frozen ? 'frozen' : alert.unfrozen ? 'unfrozen' : alert.state;
    const id = `account-alert-${alert.accountId}`;
    // A newer state replaces the account's notification (show() would keep the old one under the same id).
    notifications.hide(id);
    notifications.show({
      id,
      color: alert.state === 'exhausted' ? 'red' : alert.state === 'low' ? 'orange' : 'green',
      // Problems stay until read; recoveries go by themselves.
      autoClose: alert.state === 'ok' ? 8000 : false,
      title: t(`accounts:alertNotice.title.${key}`, { name: alert.name }),
      message: (
        <Stack gap={2}>
          <Text size="sm">{t(`accounts:alertNotice.body.${key}`, { balance: f.money(alert.balance) })}</Text>
          <Anchor href={`#/accounts/ledger/${alert.accountId}`} size="sm">
            {t('accounts:alertNotice.open')}
          </Anchor>
        </Stack>
      ),
    });
  });
  return null;
}
