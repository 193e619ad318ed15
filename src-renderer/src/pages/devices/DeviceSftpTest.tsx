import { Alert, Badge, Button, Group, Stack, Table, Text } from '@mantine/core';
import { IconPlugConnected } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InputOf } from '../../../../src-shared/api';
import type { SftpTestResult } from '../../../../src-shared/api/devices';
import { call } from '../../api/client';
import { describeError } from '../../hooks/notify';
import { useFormatters } from '../../hooks/useFormatters';

const FILES_SHOWN = 12;

/** "Test connection" for the SFTP settings as they stand in the form (saved secrets are used where none is typed). */
export function DeviceSftpTest({ input, disabled }: { input: () => InputOf<'devices.testSftp'>; disabled?: boolean }) {
  const { t } = useTranslation();
  const f = useFormatters();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<SftpTestResult | null>(null);
  const [failure, setFailure] = useState<unknown>(null);

  const run = async () => {
    setBusy(true);
    setFailure(null);
    setResult(null);
    try {
      setResult(await call('devices.testSftp', input()));
    } catch (err) {
      setFailure(err);
    } finally {
      setBusy(false);
    }
  };

  const failureText = failure ? describeError(failure, t) : null;
  return (
    <Stack gap="xs">
      <Group>
        <Button variant="light" leftSection={<IconPlugConnected size={16} />} loading={busy} disabled={disabled} onClick={run}>
          {t('devices:actions.testConnection')}
        </Button>
      </Group>
      {failureText && (
        <Alert color="red" variant="light" title={failureText.title} role="alert">
          {failureText.message}
        </Alert>
      )}
      {result && (
        <Alert
          color={result.ok ? 'green' : 'red'}
          variant="light"
          role="status"
          data-testid="sftp-test-result"
          title={result.ok ? t('devices:test.ok') : t(`devices:test.failedAt.${result.failedAt ?? 'connect'}`)}
        >
          <Stack gap={6}>
            <Text size="sm">{result.message}</Text>
            {result.hostKey && (
              <Text size="xs">
                <Text span ff="monospace" size="xs">
                  {t('devices:test.hostKey', { key: result.hostKey })}
                </Text>
                {result.hostKeyCheck && ` — ${t(`devices:test.hostKeyCheck.${result.hostKeyCheck}`)}`}
              </Text>
            )}
            {result.ok && (
              <>
                <Text size="sm" c="dimmed">
                  {t('devices:test.files', { total: result.totalFiles, folder: result.folder, matching: result.matchingFiles })}
                </Text>
                {result.files.length === 0 ? (
                  <Text size="sm" c="dimmed">
                    {t('devices:test.noFiles')}
                  </Text>
                ) : (
                  <Table fz="xs" verticalSpacing={2} withRowBorders={false}>
                    <Table.Tbody>
                      {result.files.slice(0, FILES_SHOWN).map((file) => (
                        <Table.Tr key={file.name}>
                          <Table.Td ff="monospace">{file.name}</Table.Td>
                          <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
                            {f.number(file.size)}
                          </Table.Td>
                          <Table.Td>{f.dateTime(file.modifiedAt)}</Table.Td>
                          <Table.Td>
                            <Badge size="xs" variant="light" color={file.inProgress ? 'yellow' : file.matches ? 'green' : 'gray'}>
                              {file.inProgress ? t('devices:test.fileInProgress') : file.matches ? t('devices:test.fileMatches') : t('devices:test.fileIgnored')}
                            </Badge>
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                )}
              </>
            )}
            <Text size="xs" c="dimmed">
              {t('devices:test.took', { ms: f.number(result.durationMs) })}
            </Text>
          </Stack>
        </Alert>
      )}
    </Stack>
  );
}
