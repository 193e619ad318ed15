import { Alert, Anchor, Badge, Button, Card, Group, Progress, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useInterval } from '@mantine/hooks';
import { IconArchive, IconRefresh } from '@tabler/icons-react';
import type { TFunction } from 'i18next';
import { useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { SystemInfoItem, SystemInfoText } from '../../../../src-shared/api/system';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { formatBytes } from '../../format/bytes';
import { useApiQuery } from '../../hooks/useApiQuery';
import { useFormatters, type Formatters } from '../../hooks/useFormatters';

const REFRESH_MS = 15_000;
const STATUS_COLORS = { ok: 'green', warning: 'yellow', error: 'red' } as const;

function Rows({ rows }: { rows: [string, ReactNode][] }) {
  return (
    <Table withRowBorders={false} verticalSpacing={3} fz="sm">
      <Table.Tbody>
        {rows.map(([label, value]) => (
          <Table.Tr key={label}>
            <Table.Th w="45%" fw={500} c="dimmed">
              {label}
            </Table.Th>
            <Table.Td style={{ fontVariantNumeric: 'tabular-nums', wordBreak: 'break-all' }}>{value}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function Block({ title, children, status }: { title: string; children: ReactNode; status?: 'ok' | 'warning' | 'error' }) {
  const { t } = useTranslation();
  return (
    <Card withBorder padding="md" radius="sm">
      <Group justify="space-between" mb="xs">
        <Title order={3} fz="h5">
          {title}
        </Title>
        {status && <Badge color={STATUS_COLORS[status]} variant="dot">{t(`systemInfo:status.${status}`)}</Badge>}
      </Group>
      {children}
    </Card>
  );
}

/**
 * An engine text of system information in the clerk's language (its key in the `engine` namespace); a key this
 * version of the UI does not know reads as a generic "figure", never as the English text.
 */
function shown(text: SystemInfoText, t: TFunction): string {
  return t([`engine:${text.key}`, 'systemInfo:unknownText'], text.params ?? {});
}

/** A table by its clerk name ("话单"); one this list does not know keeps its database name. */
function tableName(name: string, t: TFunction): string {
  return t(`systemInfo:tableNames.${name}`, { defaultValue: name });
}

function itemValue(item: SystemInfoItem, f: Formatters, t: TFunction): ReactNode {
  if (item.valueText) return shown(item.valueText, t);
  if (item.value === null) return '—';
  if (typeof item.value === 'boolean') return item.value ? '✓' : '✗';
  if (item.unit === 'bytes' && typeof item.value === 'number') return formatBytes(item.value, f.locale);
  if (item.unit === 'count' && typeof item.value === 'number') return f.number(item.value);
  if (item.unit === 'percent' && typeof item.value === 'number') return `${f.number(item.value)} %`;
  if (item.unit === 'time' && typeof item.value === 'string') return f.dateTime(item.value, true);
  if (item.unit === 'seconds' && typeof item.value === 'number') return f.duration(item.value);
  return String(item.value);
}

/** Version, storage, resources, row counts and backups, plus what other areas report (CDRs, listener, ledger). */
export function SystemInfoPage() {
  const { t } = useTranslation();
  const f = useFormatters();
  const info = useApiQuery('system.info', {});
  const interval = useInterval(info.reload, REFRESH_MS);
  useEffect(() => {
    interval.start();
    return interval.stop;
  }, []);
  const d = info.data;
  const bytes = (n: number) => formatBytes(n, f.locale);

  return (
    <>
      <PageHeader
        title={t('nav:systemInfo')}
        description={t('systemInfo:description')}
        actions={
          <Button variant="default" leftSection={<IconRefresh size={16} />} loading={info.loading} onClick={info.reload}>
            {t('systemInfo:refresh')}
          </Button>
        }
      />
      {info.error && <ErrorAlert error={info.error} onRetry={info.reload} />}
      {d && (
        <Stack gap="md">
          <SimpleGrid cols={{ base: 1, md: 2, xl: 3 }}>
            <Block title={t('systemInfo:software.title')}>
              <Rows
                rows={[
                  [t('systemInfo:software.version'), d.software.version],
                  [t('systemInfo:software.build'), d.software.build],
                  [t('systemInfo:software.runtime'), d.software.electron ? `Electron ${d.software.electron} · Node ${d.software.node}` : `Node ${d.software.node}`],
                  // The operating system as it names itself (linux 6.1 x64): an identifier, not text to translate.
                  [t('systemInfo:software.platform'), <span translate="no">{d.software.platform}</span>],
                  [t('systemInfo:software.startedAt'), f.dateTime(d.software.startedAt, true)],
                  [t('systemInfo:software.uptime'), f.duration(d.software.uptimeSeconds)],
                ]}
              />
            </Block>
            <Block title={t('systemInfo:storage.title')}>
              <Rows
                rows={[
                  [t('systemInfo:storage.dataDir'), d.storage.dataDir],
                  [t('systemInfo:storage.database'), `${bytes(d.storage.databaseBytes)} (${t('systemInfo:storage.wal', { size: bytes(d.storage.walBytes) })})`],
                  [t('systemInfo:storage.diskFree'), t('systemInfo:storage.freeOf', { free: bytes(d.storage.diskFreeBytes), total: bytes(d.storage.diskTotalBytes) })],
                ]}
              />
              <Progress
                mt="xs"
                aria-label={t('systemInfo:storage.diskUsed')}
                value={d.storage.diskTotalBytes ? 100 - (d.storage.diskFreeBytes / d.storage.diskTotalBytes) * 100 : 0}
                color={d.storage.diskFreeBytes < d.storage.databaseBytes * 2 ? 'red' : 'blue'}
              />
            </Block>
            <Block title={t('systemInfo:resources.title')}>
              <Rows
                rows={[
                  [t('systemInfo:resources.processCpu'), `${f.number(d.resources.processCpuPercent)} %`],
                  [t('systemInfo:resources.processMemory'), `${bytes(d.resources.processRssBytes)} (${t('systemInfo:resources.heap', { size: bytes(d.resources.processHeapUsedBytes) })})`],
                  [t('systemInfo:resources.machineCpu'), t('systemInfo:resources.cores', { percent: f.number(d.resources.machineCpuPercent), count: d.resources.machineCpuCores })],
                  [t('systemInfo:resources.load'), d.resources.loadAverage.map((n) => f.number(n)).join(' / ')],
                  [t('systemInfo:resources.machineMemory'), t('systemInfo:storage.freeOf', { free: bytes(d.resources.machineMemoryFreeBytes), total: bytes(d.resources.machineMemoryTotalBytes) })],
                ]}
              />
            </Block>
            <Block title={t('systemInfo:backup.title')}>
              <Rows
                rows={[
                  [t('systemInfo:backup.folder'), d.backup.folder],
                  [t('systemInfo:backup.last'), d.backup.last ? `${f.dateTime(d.backup.last.createdAt, true)} · ${bytes(d.backup.last.sizeBytes)}` : t('systemInfo:backup.never')],
                  [t('systemInfo:backup.next'), d.backup.nextRunAt ? f.dateTime(d.backup.nextRunAt, true) : t('systemInfo:backup.off')],
                  ...(d.backup.running
                    ? ([[t('systemInfo:backup.running'), `${d.backup.running.fileName} · ${d.backup.running.copiedPages} / ${d.backup.running.totalPages}`]] as [string, ReactNode][])
                    : []),
                ]}
              />
            </Block>
            {Object.entries(d.sections).map(([name, section]) => (
              <Block key={name} title={shown(section.title, t)} status={'items' in section ? section.status : 'error'}>
                {'items' in section ? (
                  <>
                    <Rows
                      rows={section.items.map((item) => [
                        shown(item.label, t),
                        <Text component="span" size="sm" c={item.status ? STATUS_COLORS[item.status] : undefined} key={item.key}>
                          {itemValue(item, f, t)}
                        </Text>,
                      ])}
                    />
                    {name === 'retention' && (
                      <Anchor component={Link} to="/system/archives" size="sm">
                        <Group gap={4} component="span" mt="xs">
                          <IconArchive size={14} />
                          {t('systemInfo:openArchives')}
                        </Group>
                      </Anchor>
                    )}
                  </>
                ) : (
                  <Alert color="red" variant="light" title={t('systemInfo:sectionFailed')}>
                    <details>
                      <summary>{t('systemInfo:technicalDetail')}</summary>
                      <Text size="xs" ff="monospace">
                        {section.error}
                      </Text>
                    </details>
                  </Alert>
                )}
              </Block>
            ))}
          </SimpleGrid>
          <Block title={t('systemInfo:tables.title')}>
            <Text size="xs" c="dimmed" mb="xs">
              {t('systemInfo:tables.counted', { ms: f.number(d.countedInMs) })}
            </Text>
            <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing={0}>
              {d.tables.map((table) => (
                <Group key={table.name} justify="space-between" px="xs" py={2} wrap="nowrap">
                  {/* The database's own name stays a hover away, for support. */}
                  <Text size="sm" title={table.name} truncate data-technical-detail>
                    {tableName(table.name, t)}
                  </Text>
                  <Text size="sm" style={{ fontVariantNumeric: 'tabular-nums' }}>
                    {f.number(table.rows)}
                  </Text>
                </Group>
              ))}
            </SimpleGrid>
          </Block>
        </Stack>
      )}
    </>
  );
}
