import { Alert, Button, Card, Group, SegmentedControl, Stack, Table, Text, TextInput } from '@mantine/core';
import { Dropzone } from '@mantine/dropzone';
import { IconFileSpreadsheet, IconUpload } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AttributionVersion, ImportRefusal } from '../../../../../src-shared/api/attribution';
import { ApiError } from '../../../../../src-shared/api/errors';
import { call } from '../../../api/client';
import { ReasonText } from '../../../components/ReasonText';
import { describeError, notifySuccess } from '../../../hooks/notify';

const MAX_FILE_BYTES = 40 * 1024 * 1024;
const ACCEPT = {
  'text/csv': ['.csv'],
  'text/plain': ['.csv', '.txt'],
  'application/vnd.ms-excel': ['.csv'],
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': ['.xlsx'],
};

function readAsBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('the file could not be read'));
    reader.readAsDataURL(file);
  });
}

/** Import an attribution file: all or nothing; a refused file lists its problems by row and column. */
export function AttributionImportTab({ onImported }: { onImported(version: AttributionVersion): void }) {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [countryCode, setCountryCode] = useState('86');
  const [mode, setMode] = useState<'merge' | 'replace'>('merge');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<AttributionVersion | null>(null);
  const [refusal, setRefusal] = useState<ImportRefusal | null>(null);
  const [failure, setFailure] = useState<unknown>(null);

  const start = async () => {
    if (!file) return;
    setBusy(true);
    setDone(null);
    setRefusal(null);
    setFailure(null);
    try {
      const content = await readAsBase64(file);
      const { version } = await call('attribution.import', { fileName: file.name, content, countryCode, mode });
      setDone(version);
      notifySuccess(t('attribution:import.done', { added: version.rowsAdded, changed: version.rowsChanged, removed: version.rowsRemoved, version: version.id }));
      onImported(version);
    } catch (err) {
      const details = err instanceof ApiError ? (err.details as Partial<ImportRefusal> | undefined) : undefined;
      if (details?.problems) setRefusal(details as ImportRefusal);
      else setFailure(err);
    } finally {
      setBusy(false);
    }
  };

  const failureText = failure ? describeError(failure, t) : null;
  return (
    <Stack gap="md" maw={960}>
      <Text size="sm" c="dimmed">
        {t('attribution:import.help')}
      </Text>
      <Dropzone
        // react-dropzone names its hidden input in English.
        inputProps={{ 'aria-label': t('common:chooseFile') }}
        onDrop={(files) => {
          setFile(files[0] ?? null);
          setDone(null);
          setRefusal(null);
        }}
        onReject={() => setFailure(new ApiError('invalid_input', t('attribution:import.rejectedFile')))}
        maxSize={MAX_FILE_BYTES}
        maxFiles={1}
        multiple={false}
        accept={ACCEPT}
        loading={busy}
      >
        <Group justify="center" gap="md" mih={90} style={{ pointerEvents: 'none' }}>
          {file ? <IconFileSpreadsheet size={36} stroke={1.5} /> : <IconUpload size={36} stroke={1.5} />}
          <div>
            <Text size="md">{file ? file.name : t('attribution:import.drop')}</Text>
            <Text size="sm" c="dimmed">
              {t('attribution:import.dropHint')}
            </Text>
          </div>
        </Group>
      </Dropzone>
      <Group align="flex-end" gap="md">
        <TextInput label={t('attribution:import.countryCode')} description={t('attribution:import.countryCodeHelp')} w={220} value={countryCode} onChange={(e) => setCountryCode(e.currentTarget.value.trim())} />
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            {t('attribution:import.mode')}
          </Text>
          <SegmentedControl
            value={mode}
            onChange={(m) => setMode(m as 'merge' | 'replace')}
            data={[
              { value: 'merge', label: t('attribution:import.merge') },
              { value: 'replace', label: t('attribution:import.replace') },
            ]}
          />
        </Stack>
        <Button leftSection={<IconUpload size={16} />} disabled={!file} loading={busy} onClick={() => void start()}>
          {t('attribution:import.button')}
        </Button>
      </Group>
      <Text size="xs" c="dimmed">
        {mode === 'merge' ? t('attribution:import.mergeHelp') : t('attribution:import.replaceHelp')}
      </Text>
      {failureText && (
        <Alert color="red" variant="light" title={failureText.title} role="alert">
          {failureText.message}
        </Alert>
      )}
      {done && (
        <Alert color="green" variant="light" title={t('attribution:import.doneTitle', { version: done.id })}>
          {t('attribution:import.counts', { inFile: done.rowsInFile, added: done.rowsAdded, changed: done.rowsChanged, removed: done.rowsRemoved, unchanged: done.rowsUnchanged })}
        </Alert>
      )}
      {refusal && (
        <Card withBorder radius="sm" padding="sm">
          <Alert color="red" variant="light" mb="sm" title={t('attribution:import.refusedTitle')} role="alert">
            {t('attribution:import.refused', { count: refusal.problemCount, shown: refusal.problems.length })}
          </Alert>
          <Table striped withTableBorder fz="sm" aria-label={t('attribution:import.problems')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={80}>{t('attribution:import.row')}</Table.Th>
                <Table.Th w={160}>{t('attribution:import.column')}</Table.Th>
                <Table.Th>{t('attribution:import.problem')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {refusal.problems.map((p, i) => (
                <Table.Tr key={i}>
                  <Table.Td>{p.row ?? t('attribution:import.wholeFile')}</Table.Td>
                  <Table.Td>{p.column ?? ''}</Table.Td>
                  <Table.Td>
                  {/* Older servers send the English only: it is shown as the detail of a general sentence. */}
                  <ReasonText problem={{ key: p.key ?? 'import.other', ...(p.params ? { params: p.params } : {}), text: p.problem }} />
                </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
      )}
    </Stack>
  );
}
