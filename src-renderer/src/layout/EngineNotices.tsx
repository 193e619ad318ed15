import { Anchor, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { transportKind } from '../api/client';
import { useApiEvent } from '../hooks/useApiEvent';

/**
 * Engine-wide news every page needs: a restart (after a restore) ends all sessions, and a moved web server
 * (settings changed its address) leaves this browser tab on the old one.
 */
export function EngineNotices() {
  const { t } = useTranslation();

  useApiEvent('system.restarting', ({ reason }) => {
    notifications.show({
      id: 'engine-restarting',
      color: 'yellow',
      autoClose: false,
      title: t('common:engine.restartingTitle'),
      message: t('common:engine.restarting', { reason }),
    });
  });

  useApiEvent('settings.changed', ({ httpUrl }) => {
    // Only a browser is affected; the desktop window talks to the engine without HTTP.
    if (!httpUrl || transportKind() !== 'http') return;
    let moved: URL;
    try {
      moved = new URL(httpUrl, window.location.href);
    } catch {
      return;
    }
    if (moved.origin === window.location.origin) return;
    notifications.show({
      id: 'engine-moved',
      color: 'blue',
      autoClose: false,
      title: t('common:engine.movedTitle'),
      message: (
        <Stack gap={4}>
          <Text size="sm">{t('common:engine.moved', { url: moved.origin })}</Text>
          <Anchor href={`${moved.origin}/`} size="sm">
            {t('common:engine.openNewAddress')}
          </Anchor>
        </Stack>
      ),
    });
  });

  return null;
}
