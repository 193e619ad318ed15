import { Alert, Button, Card, Group, Progress, Select, SimpleGrid, Stack, Text } from '@mantine/core';
import { Dropzone } from '@mantine/dropzone';
import { IconFileText, IconUpload } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { EventMap } from '../../../../src-shared/api/events';
import type { CdrImportResult } from '../../../../src-shared/api/ingest';
import { ApiError } from '../../../../src-shared/api/errors';
import { call } from '../../api/client';
import { PageHeader } from '../../components/PageHeader';
import { describeError, notifySuccess } from '../../hooks/notify';
import { useApiEvent } from '../../hooks/useApiEvent';
import { useApiQuery } from '../../hooks/useApiQuery';
import { useFormatters } from '../../hooks/useFormatters';
import { useUrlFilters } from '../../hooks/useUrlFilters';
import { RejectsTable } from './RejectsTable';

/** The file's bytes travel base64-encoded in one call (at most 64 MiB): about 48 MiB of CDRs. */
const MAX_FILE_BYTES = 48 * 1024 * 1024;

function readAsBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('the file could not be read'));
    reader.readAsDataURL(file);
  });
}

type Progress = EventMap['cdrs.importProgress'];

/** Import a CDR file for a device: progress while it runs, then the counts and the records that could not be read. */
export function ImportPage() {
  const { t } = useTranslation();
  const f = useFormatters();
  const devices = useApiQuery('devices.list', {});
  const [filters, setFilters] = useUrlFilters({ device: '' });
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [importId, setImportId] = useState<string | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [result, setResult] = useState<CdrImportResult | null>(null);
  const [failure, setFailure] = useState<unknown>(null);

  useApiEvent('cdrs.importProgress', (data) => {
    if (data.importId === importId) setProgress(data);
  });

  const device = useMemo(() => devices.data?.find((d) => String(d.id) === filters.device), [devices.data, filters.device]);
  const start = async () => {
    if (!file || !device) return;
    const id = crypto.randomUUID();
    setImportId(id);
    setBusy(true);
    setResult(null);
    setFailure(null);
    setProgress(null);
    try {
      const content = await readAsBase64(file);
      const done = await call('cdrs.import', { deviceId: device.id, fileName: file.name, content, importId: id });
      setResult(done);
      notifySuccess(
        done.knownRejects > 0
          ? t('ingest:import.doneWithKnown', { stored: done.stored, duplicates: done.duplicates - done.knownRejects, rejected: done.rejected, known: done.knownRejects })
          : t('ingest:import.done', { stored: done.stored, duplicates: done.duplicates, rejected: done.rejected }),
      );
    } catch (err) {
      setFailure(err);
    } finally {
      setBusy(false);
    }
  };

  const failureText = failure ? describeError(failure, t) : null;
  const percent = progress && progress.totalBytes > 0 ? Math.round((progress.bytesRead / progress.totalBytes) * 100) : 0;
  const counts = result ?? progress;
  return (
    <>
      <PageHeader title={t('nav:cdrImport')} description={t('ingest:import.description')} />
      <Stack gap="md" maw={1100}>
        <Group align="flex-end" gap="md">
          <Select
            label={t('ingest:fields.device')}
            placeholder={t('ingest:import.pickDevice')}
            data={(devices.data ?? []).map((d) => ({ value: String(d.id), label: d.name }))}
            value={filters.device || null}
            onChange={(value) => setFilters({ device: value ?? '' })}
            searchable
            w={280}
            nothingFoundMessage={t('ingest:import.noDevices')}
          />
          {device && (
            <Text size="sm" c="dimmed" pb={8}>
              {t('ingest:import.readAs', { format: device.format, zone: device.timeZone })}
            </Text>
          )}
        </Group>
        <Dropzone
          // react-dropzone names its hidden input in English.
          inputProps={{ 'aria-label': t('common:chooseFile') }}
          onDrop={(files) => {
            setFile(files[0] ?? null);
            setResult(null);
            setFailure(null);
          }}
          onReject={() => setFailure(new ApiError('invalid_input', t('ingest:import.rejectedFile', { size: f.number(MAX_FILE_BYTES / 1024 / 1024) })))}
          maxSize={MAX_FILE_BYTES}
          maxFiles={1}
          multiple={false}
          loading={busy}
        >
          <Group justify="center" gap="md" mih={90} style={{ pointerEvents: 'none' }}>
            {file ? <IconFileText size={36} stroke={1.5} /> : <IconUpload size={36} stroke={1.5} />}
            <div>
              <Text size="md">{file ? t('ingest:import.chosen', { name: file.name, size: f.number(Math.ceil(file.size / 1024)) }) : t('ingest:import.drop')}</Text>
              <Text size="sm" c="dimmed">
                {t('ingest:import.dropHint')}
              </Text>
            </div>
          </Group>
        </Dropzone>
        <Group>
          <Button leftSection={<IconUpload size={16} />} disabled={!file || !device} loading={busy} onClick={() => void start()}>
            {t('ingest:import.button')}
          </Button>
          {!device && <Text size="sm" c="dimmed">{t('ingest:import.deviceFirst')}</Text>}
        </Group>
        {busy && (
          <Stack gap={4} aria-label={t('ingest:import.progress')}>
            <Progress value={percent} animated striped />
            <Text size="sm" c="dimmed">
              {t('ingest:import.progressText', { percent, read: f.number(Math.round((progress?.bytesRead ?? 0) / 1024)), total: f.number(Math.round((progress?.totalBytes ?? 0) / 1024)) })}
            </Text>
          </Stack>
        )}
        {failureText && (
          <Alert color="red" variant="light" title={failureText.title} role="alert">
            {failureText.message}
          </Alert>
        )}
        {counts && (
          <SimpleGrid cols={{ base: 2, sm: 4, lg: 8 }} spacing="sm" aria-label={t('ingest:import.counts')} role="group">
            <Count label={t('ingest:counts.received')} value={f.number(counts.received)} />
            <Count label={t('ingest:counts.stored')} value={f.number(counts.stored)} />
            {/* Records met again: calls already stored, and unreadable records already kept (they add up to received). */}
            <Count label={t('ingest:counts.duplicates')} value={f.number(counts.duplicates - (result?.knownRejects ?? 0))} />
            <Count label={t('ingest:counts.rejected')} value={f.number(counts.rejected)} />
            {result && <Count label={t('ingest:counts.knownRejects')} value={f.number(result.knownRejects)} />}
            {result && <Count label={t('ingest:counts.skipped')} value={f.number(result.skipped)} />}
            {result && <Count label={t('ingest:counts.rated')} value={f.number(result.rated)} />}
            {result && <Count label={t('ingest:counts.unrated')} value={f.number(result.unrated)} />}
          </SimpleGrid>
        )}
        {result && result.rejectsTotal > 0 && (
          <Stack gap="xs">
            <Group justify="space-between">
              <Stack gap={0}>
                <Text fw={600}>{t('ingest:import.rejectsTitle', { count: result.rejectsTotal })}</Text>
                {result.knownRejects > 0 && (
                  <Text size="sm" c="dimmed">
                    {t('ingest:import.rejectsSplit', { new: result.rejected, known: result.knownRejects })}
                  </Text>
                )}
              </Stack>
              <Button component={Link} variant="subtle" size="xs" to={`/cdr/rejects?device=${result.deviceId}&source=${encodeURIComponent(result.fileName)}&status=`}>
                {t('ingest:import.openRejects')}
              </Button>
            </Group>
            {result.rejectsTotal > result.rejects.length && (
              <Text size="sm" c="dimmed">
                {t('ingest:import.firstRejects', { shown: result.rejects.length })}
              </Text>
            )}
            <RejectsTable rows={result.rejects} label={t('ingest:import.rejectsOfImport')} />
          </Stack>
        )}
        {result && result.rejectsTotal === 0 && (
          <Alert color="green" variant="light" title={t('ingest:import.allRead')}>
            {t('ingest:import.allReadHint')}
          </Alert>
        )}
      </Stack>
    </>
  );
}

function Count({ label, value }: { label: string; value: string }) {
  return (
    <Card withBorder padding="xs" radius="sm">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} size="lg" ta="right" aria-label={label}>
        {value}
      </Text>
    </Card>
  );
}
