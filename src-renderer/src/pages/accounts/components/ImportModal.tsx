import { Alert, Button, Group, Modal, ScrollArea, Stack, Table, Text } from '@mantine/core';
import { Dropzone } from '@mantine/dropzone';
import { IconDownload, IconFileSpreadsheet, IconUpload } from '@tabler/icons-react';
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportRefusal } from '../../../../../src-shared/api/attribution';
import type { DownloadTicket } from '../../../../../src-shared/api/downloads';
import { ApiError } from '../../../../../src-shared/api/errors';
import { saveDownload } from '../../../api/downloads';
import { ReasonText } from '../../../components/ReasonText';
import { describeError, notifyError } from '../../../hooks/notify';
import { currentLanguage, type Language } from '../../../../i18n';

const MAX_FILE_BYTES = 32 * 1024 * 1024;
const ACCEPT = {
  'text/csv': ['.csv'],
  'text/plain': ['.csv', '.txt'],
  'application/vnd.ms-excel': ['.csv', '.xls'],
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': ['.xlsx'],
};

export function readAsBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('the file could not be read'));
    reader.readAsDataURL(file);
  });
}

/** The problems of a refused import, by row and column, as the server found them. */
export function ImportProblemsTable({ refusal }: { refusal: ImportRefusal }) {
  const { t } = useTranslation();
  return (
    <Stack gap="xs">
      <Alert color="red" variant="light" title={t('accounts:import.refusedTitle')} role="alert">
        {t('accounts:import.refused', { count: refusal.problemCount, shown: refusal.problems.length })}
      </Alert>
      <ScrollArea.Autosize mah={320}>
        <Table striped withTableBorder fz="sm" aria-label={t('accounts:import.problems')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={70}>{t('accounts:import.row')}</Table.Th>
              <Table.Th w={150}>{t('accounts:import.column')}</Table.Th>
              <Table.Th>{t('accounts:import.problem')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {refusal.problems.map((p, i) => (
              <Table.Tr key={i}>
                <Table.Td>{p.row ?? t('accounts:import.wholeFile')}</Table.Td>
                <Table.Td>{p.column ?? ''}</Table.Td>
                <Table.Td>
                  {/* Older servers send the English only: it is shown as the detail of a general sentence. */}
                  <ReasonText problem={{ key: p.key ?? 'import.other', ...(p.params ? { params: p.params } : {}), text: p.problem }} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea.Autosize>
    </Stack>
  );
}

/**
 * Import of a batch file (.xlsx or .csv), all or nothing: pick or drop the file, import, and read either what was
 * done or every problem by row and column. The template explains the columns.
 */
export function ImportModal<R>({
  opened,
  onClose,
  title,
  help,
  children,
  onImport,
  onTemplate,
  describeResult,
}: {
  opened: boolean;
  onClose(): void;
  title: string;
  help: string;
  /** Extra inputs of the import (e.g. the device for files without a Device column). */
  children?: ReactNode;
  onImport(file: { fileName: string; content: string }): Promise<R>;
  /** The template in the clerk's language; the import reads either language. */
  onTemplate(format: 'xlsx' | 'csv', language: Language): Promise<DownloadTicket>;
  describeResult(result: R): string;
}) {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<R | null>(null);
  const [refusal, setRefusal] = useState<ImportRefusal | null>(null);
  const [failure, setFailure] = useState<unknown>(null);

  useEffect(() => {
    if (!opened) return;
    setFile(null);
    setDone(null);
    setRefusal(null);
    setFailure(null);
  }, [opened]);

  const start = async () => {
    if (!file) return;
    setBusy(true);
    setDone(null);
    setRefusal(null);
    setFailure(null);
    try {
      setDone(await onImport({ fileName: file.name, content: await readAsBase64(file) }));
    } catch (err) {
      const details = err instanceof ApiError ? (err.details as Partial<ImportRefusal> | undefined) : undefined;
      if (details?.problems) setRefusal(details as ImportRefusal);
      else setFailure(err);
    } finally {
      setBusy(false);
    }
  };

  const template = async (format: 'xlsx' | 'csv') => {
    try {
      await saveDownload(await onTemplate(format, currentLanguage()));
    } catch (err) {
      notifyError(err, t);
    }
  };

  const failureText = failure ? describeError(failure, t) : null;
  return (
    <Modal opened={opened} onClose={busy ? () => undefined : onClose} title={title} size="xl" centered>
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {help}
        </Text>
        <Group gap="xs">
          <Button variant="default" size="xs" leftSection={<IconDownload size={14} />} onClick={() => void template('xlsx')}>
            {t('accounts:import.templateXlsx')}
          </Button>
          <Button variant="default" size="xs" leftSection={<IconDownload size={14} />} onClick={() => void template('csv')}>
            {t('accounts:import.templateCsv')}
          </Button>
        </Group>
        {children}
        <Dropzone
          // react-dropzone names its hidden input in English.
          inputProps={{ 'aria-label': t('common:chooseFile') }}
          onDrop={(files) => {
            setFile(files[0] ?? null);
            setDone(null);
            setRefusal(null);
            setFailure(null);
          }}
          onReject={() => setFailure(new ApiError('invalid_input', t('accounts:import.rejectedFile')))}
          maxSize={MAX_FILE_BYTES}
          maxFiles={1}
          multiple={false}
          accept={ACCEPT}
          loading={busy}
          aria-label={t('accounts:import.drop')}
        >
          <Group justify="center" gap="md" mih={80} style={{ pointerEvents: 'none' }}>
            {file ? <IconFileSpreadsheet size={32} stroke={1.5} /> : <IconUpload size={32} stroke={1.5} />}
            <div>
              <Text size="md">{file ? file.name : t('accounts:import.drop')}</Text>
              <Text size="sm" c="dimmed">
                {t('accounts:import.dropHint')}
              </Text>
            </div>
          </Group>
        </Dropzone>
        {failureText && (
          <Alert color="red" variant="light" title={failureText.title} role="alert">
            {failureText.message}
          </Alert>
        )}
        {done !== null && (
          <Alert color="green" variant="light" title={t('accounts:import.doneTitle')}>
            {describeResult(done)}
          </Alert>
        )}
        {refusal && <ImportProblemsTable refusal={refusal} />}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onClose} disabled={busy}>
            {t('accounts:import.close')}
          </Button>
          <Button leftSection={<IconUpload size={16} />} disabled={!file} loading={busy} onClick={() => void start()}>
            {t('accounts:import.button')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
