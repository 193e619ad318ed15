import { Alert, Badge, Button, Code, Group, Modal, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EnterpriseLoginPassword } from '../../../../src-shared/api/enterprise-logins';
import { call } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { notifyError, notifySuccess } from '../../hooks/notify';
import { useApiQuery } from '../../hooks/useApiQuery';
import { useFormatters } from '../../hooks/useFormatters';

/**
 * The enterprise's own login, from its row on the enterprise page: create it, reset its password, disable it.
 * A password (given or generated) is shown once, to hand over; the login must change it at first use.
 */
export function EnterpriseLoginModal({ enterprise, onClose }: { enterprise: { id: number; name: string } | null; onClose(): void }) {
  return enterprise ? <LoginModal key={enterprise.id} enterprise={enterprise} onClose={onClose} /> : null;
}

function LoginModal({ enterprise, onClose }: { enterprise: { id: number; name: string }; onClose(): void }) {
  const { t } = useTranslation();
  const f = useFormatters();
  const { id } = enterprise;
  const login = useApiQuery('enterprises.login', { id });
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [issued, setIssued] = useState<EnterpriseLoginPassword | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const run = async (action: () => Promise<EnterpriseLoginPassword | unknown>, done: string) => {
    setBusy(true);
    setError(null);
    try {
      const result = await action();
      if (result && typeof result === 'object' && 'password' in result) setIssued(result as EnterpriseLoginPassword);
      setPassword('');
      notifySuccess(done);
      login.reload();
    } catch (err) {
      setError(err);
      notifyError(err, t);
    } finally {
      setBusy(false);
    }
  };
  const given = password ? { password } : {};
  const current = login.data?.login ?? null;

  return (
    <Modal opened onClose={onClose} title={t('portal:login.title', { name: enterprise.name })} size="md">
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t('portal:login.description')}
        </Text>
        {login.error && <ErrorAlert error={login.error} onRetry={login.reload} />}
        {error !== null && <ErrorAlert error={error} />}
        {issued && (
          <Alert color="green" title={t('portal:login.passwordTitle')}>
            <Text size="sm">{t('portal:login.passwordHint', { username: issued.login.username })}</Text>
            <Code block mt="xs" data-testid="issued-password">
              {issued.password}
            </Code>
          </Alert>
        )}
        {current ? (
          <>
            <Group gap="xs">
              <Text fw={600}>{current.username}</Text>
              <Badge color={current.disabled ? 'red' : 'green'}>{current.disabled ? t('portal:login.disabled') : t('portal:login.active')}</Badge>
              {current.mustChangePassword && <Badge color="orange">{t('portal:login.mustChange')}</Badge>}
            </Group>
            <Text size="xs" c="dimmed">
              {current.lastLoginAt ? t('portal:login.lastLogin', { at: f.dateTime(current.lastLoginAt) }) : t('portal:login.neverLoggedIn')}
            </Text>
            <PasswordInput label={t('portal:login.newPassword')} description={t('portal:login.passwordOptional')} value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
            <Group justify="flex-end">
              <Button
                variant="default"
                loading={busy}
                onClick={() => void run(() => call('enterprises.disableLogin', { id, disabled: !current.disabled }), current.disabled ? t('portal:login.enabledDone') : t('portal:login.disabledDone'))}
              >
                {current.disabled ? t('portal:login.enable') : t('portal:login.disable')}
              </Button>
              <Button loading={busy} onClick={() => void run(() => call('enterprises.resetLoginPassword', { id, ...given }), t('portal:login.resetDone'))}>
                {t('portal:login.reset')}
              </Button>
            </Group>
          </>
        ) : (
          !login.loading && (
            <>
              <TextInput label={t('portal:login.username')} required value={username} onChange={(e) => setUsername(e.currentTarget.value)} />
              <PasswordInput label={t('portal:login.password')} description={t('portal:login.passwordOptional')} value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
              <Group justify="flex-end">
                <Button loading={busy} disabled={!username.trim()} onClick={() => void run(() => call('enterprises.createLogin', { id, username: username.trim(), ...given }), t('portal:login.createdDone'))}>
                  {t('portal:login.create')}
                </Button>
              </Group>
            </>
          )
        )}
      </Stack>
    </Modal>
  );
}
