import { Alert, Button, Center, Group, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useInterval } from '@mantine/hooks';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { ApiError } from '../../../../src-shared/api/errors';
import { describeError } from '../../hooks/notify';
import { LanguageSwitch } from '../../layout/LanguageSwitch';
import { homePathFor } from '../../routes';
import { useSession } from '../../session/SessionProvider';
import { FullScreenLoader } from '../StatusPages';

/** Where the user was going before being sent here (kept by the route guard). */
export interface LoginRedirectState {
  from?: string;
}

function retryAfterSeconds(error: unknown): number {
  if (!(error instanceof ApiError) || error.code !== 'throttled') return 0;
  const seconds = (error.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
  return typeof seconds === 'number' && seconds > 0 ? Math.ceil(seconds) : 60;
}

export function LoginPage() {
  const { t } = useTranslation();
  const session = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as LoginRedirectState | null)?.from ?? '/';
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const [missing, setMissing] = useState<{ username?: string; password?: string }>({});
  // Throttled: the server said how long to wait; count it down and keep the button off until then.
  const [waitSeconds, setWaitSeconds] = useState(0);
  const countdown = useInterval(() => setWaitSeconds((s) => Math.max(0, s - 1)), 1000);
  useEffect(() => {
    if (waitSeconds > 0 && !countdown.active) countdown.start();
    if (waitSeconds === 0 && countdown.active) countdown.stop();
  }, [waitSeconds, countdown]);

  if (session.state.status === 'loading') return <FullScreenLoader />;
  if (session.user) return <Navigate to={from === '/' ? homePathFor(session.user.role) : from} replace />;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const problems = {
      ...(username.trim() ? {} : { username: t('auth:login.usernameRequired') }),
      ...(password ? {} : { password: t('auth:login.passwordRequired') }),
    };
    setMissing(problems);
    if (problems.username || problems.password) return;
    setBusy(true);
    setFailure(null);
    try {
      const user = await session.login(username.trim(), password);
      navigate(from === '/' ? homePathFor(user.role) : from, { replace: true });
    } catch (err) {
      setFailure(err);
      setWaitSeconds(retryAfterSeconds(err));
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  const endReason = session.state.status === 'anonymous' ? session.state.endReason : undefined;
  return (
    <Center mih="100vh" p="md" bg="var(--mantine-color-gray-0)">
      <Paper withBorder shadow="sm" p="xl" radius="md" w={380} component="main">
        <Group justify="flex-end" mb="xs">
          <LanguageSwitch />
        </Group>
        <Stack gap={2} mb="lg">
          <Title order={1} fz="h3">
            {t('common:productName')}
          </Title>
          <Text c="dimmed" size="sm">
            {t('auth:login.subtitle')}
          </Text>
        </Stack>
        {endReason && !failure && (
          <Alert color="blue" variant="light" mb="md">
            {t(`auth:login.ended.${endReason}`)}
          </Alert>
        )}
        <form onSubmit={submit} noValidate>
          <Stack gap="sm">
            <TextInput
              label={t('auth:login.username')}
              autoComplete="username"
              required
              data-autofocus
              autoFocus
              value={username}
              error={missing.username}
              onChange={(event) => setUsername(event.currentTarget.value)}
            />
            <PasswordInput
              label={t('auth:login.password')}
              autoComplete="current-password"
              required
              value={password}
              error={missing.password}
              onChange={(event) => setPassword(event.currentTarget.value)}
            />
            {failure !== null && <LoginFailure error={failure} waitSeconds={waitSeconds} />}
            <Button type="submit" loading={busy} disabled={waitSeconds > 0} fullWidth mt="xs">
              {t('auth:login.submit')}
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}

function LoginFailure({ error, waitSeconds }: { error: unknown; waitSeconds: number }) {
  const { t } = useTranslation();
  let message: string;
  if (error instanceof ApiError && error.code === 'unauthenticated') message = t('auth:login.wrongCredentials');
  else if (error instanceof ApiError && error.code === 'throttled') {
    message = waitSeconds > 0 ? t('auth:login.throttled', { seconds: waitSeconds }) : t('auth:login.throttledOver');
  } else if (error instanceof ApiError && error.code === 'unavailable') message = t('auth:login.unreachable');
  else message = describeError(error, t).message;
  return (
    <Alert color="red" variant="light" role="alert">
      {message}
    </Alert>
  );
}
