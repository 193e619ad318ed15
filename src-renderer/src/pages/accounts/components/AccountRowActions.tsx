import { ActionIcon, Button, Group, Menu, Tooltip } from '@mantine/core';
import { IconCash, IconDots, IconListDetails, IconPencil } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { AccountStatus } from '../../../../../src-shared/api/accounts';
import type { MoneyActionKind } from './MoneyActions';

/**
 * The actions of an account row: edit, recharge (the common one, as a button), and the rest in a menu. Money actions
 * exist only for accounts that hold their own balance; auditors see the ledger only.
 */
export function AccountRowActions({
  name,
  status,
  ownBalance,
  canWrite,
  onEdit,
  onMoney,
  ledgerHref,
}: {
  name: string;
  status: AccountStatus;
  ownBalance: boolean;
  canWrite: boolean;
  onEdit(): void;
  onMoney(kind: MoneyActionKind): void;
  ledgerHref: string;
}) {
  const { t } = useTranslation();
  return (
    <Group gap={4} justify="flex-end" wrap="nowrap">
      {canWrite && ownBalance && (
        <Button size="compact-xs" variant="light" leftSection={<IconCash size={14} />} onClick={() => onMoney('recharge')} aria-label={t('accounts:actions.rechargeNamed', { name })}>
          {t('accounts:money.action.recharge')}
        </Button>
      )}
      <Tooltip label={t('accounts:actions.ledger')}>
        <ActionIcon variant="subtle" component="a" href={ledgerHref} aria-label={t('accounts:actions.ledgerNamed', { name })}>
          <IconListDetails size={16} />
        </ActionIcon>
      </Tooltip>
      {canWrite && (
        <>
          <Tooltip label={t('common:actions.edit')}>
            <ActionIcon variant="subtle" onClick={onEdit} aria-label={t('accounts:actions.editNamed', { name })}>
              <IconPencil size={16} />
            </ActionIcon>
          </Tooltip>
          <Menu position="bottom-end" withinPortal>
            <Menu.Target>
              <ActionIcon variant="subtle" color="gray" aria-label={t('accounts:actions.moreNamed', { name })}>
                <IconDots size={16} />
              </ActionIcon>
            </Menu.Target>
            <Menu.Dropdown>
              {ownBalance && (
                <>
                  <Menu.Item onClick={() => onMoney('refund')}>{t('accounts:money.action.refund')}</Menu.Item>
                  <Menu.Item onClick={() => onMoney('adjust')}>{t('accounts:money.action.adjust')}</Menu.Item>
                  <Menu.Divider />
                </>
              )}
              {status === 'frozen' ? (
                <Menu.Item color="green" onClick={() => onMoney('unfreeze')}>
                  {t('accounts:money.action.unfreeze')}
                </Menu.Item>
              ) : (
                <Menu.Item color="red" onClick={() => onMoney('freeze')}>
                  {t('accounts:money.action.freeze')}
                </Menu.Item>
              )}
            </Menu.Dropdown>
          </Menu>
        </>
      )}
    </Group>
  );
}
