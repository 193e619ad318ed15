import { Badge, Button, Menu, Modal, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconChevronDown, IconKey, IconLogout, IconUserCircle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { ChangePasswordForm } from '../components/ChangePasswordForm';
import { notifySuccess } from '../hooks/notify';
import { useSession } from '../session/SessionProvider';

export function UserMenu() {
  const { t } = useTranslation();
  const session = useSession();
  const [changing, changeModal] = useDisclosure(false);
  const user = session.user;
  if (!user) return null;
  return (
    <>
      <Menu position="bottom-end" width={220} withinPortal>
        <Menu.Target>
          <Button
            variant="subtle"
            color="gray"
            size="sm"
            leftSection={<IconUserCircle size={18} />}
            rightSection={<IconChevronDown size={14} />}
          >
            <Text span size="sm" fw={500} mr={6}>
              {user.displayName || user.username}
            </Text>
            <Badge size="xs" variant="light">
              {t(`common:roles.${user.role}`)}
            </Badge>
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>{user.username}</Menu.Label>
          <Menu.Item leftSection={<IconKey size={16} />} onClick={changeModal.open}>
            {t('auth:userMenu.changePassword')}
          </Menu.Item>
          <Menu.Item leftSection={<IconLogout size={16} />} color="red" onClick={() => void session.logout()}>
            {t('auth:userMenu.logout')}
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <Modal opened={changing} onClose={changeModal.close} title={t('auth:userMenu.changePassword')} centered>
        <ChangePasswordForm
          onCancel={changeModal.close}
          onDone={() => {
            changeModal.close();
            notifySuccess(t('auth:changePassword.done'));
          }}
        />
      </Modal>
    </>
  );
}
