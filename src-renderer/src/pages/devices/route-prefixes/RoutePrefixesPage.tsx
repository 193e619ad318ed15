import { ActionIcon, Badge, Box, Button, Flex, Group, Text, Tooltip } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { DataTable, type DataTableColumn } from 'mantine-datatable';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RoutePrefix } from '../../../../../src-shared/api/route-prefixes';
import { call } from '../../../api/client';
import { ConfirmActionModal } from '../../../components/ConfirmActionModal';
import { EmptyState } from '../../../components/EmptyState';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { PageHeader } from '../../../components/PageHeader';
import { notifyError, notifySuccess } from '../../../hooks/notify';
import { useApiQuery } from '../../../hooks/useApiQuery';
import { useUrlFilters } from '../../../hooks/useUrlFilters';
import { usePermissions } from '../../../session/SessionProvider';
import { DeviceSelect } from '../../rating/components/DeviceSelect';
import { DialTester } from './DialTester';
import { RoutePrefixFormModal } from './RoutePrefixFormModal';

/** Devices → Route prefixes: a device's ordered rules (DESIGN §5.1) and a live tester of what they do. */
export function RoutePrefixesPage() {
  const { t } = useTranslation();
  const { canWrite } = usePermissions();
  const [filters, setFilters] = useUrlFilters({ device: '' });
  const devices = useApiQuery('devices.list', {});

  // The first device is the natural start when none is chosen yet.
  useEffect(() => {
    const first = devices.data?.[0];
    if (!filters.device && first) setFilters({ device: String(first.id) });
  }, [devices.data, filters.device, setFilters]);
  const deviceId = Number(filters.device) || 0;
  const device = devices.data?.find((d) => d.id === deviceId);

  return (
    <>
      <PageHeader title={t('nav:routePrefixes')} description={t('routePrefixes:description')} />
      {devices.error && <ErrorAlert error={devices.error} onRetry={devices.reload} />}
      {devices.data && devices.data.length === 0 ? (
        <EmptyState title={t('routePrefixes:noDevices.title')} hint={t('routePrefixes:noDevices.hint')} />
      ) : (
        <>
          <Group mb="md" align="flex-end">
            <DeviceSelect devices={devices.data} value={filters.device} onChange={(device) => setFilters({ device })} />
            {device && (
              <Text size="sm" c="dimmed" pb={6}>
                {t('routePrefixes:plan', {
                  countryCode: device.countryCode,
                  areaCode: device.areaCode,
                  nationalPrefix: device.nationalPrefix || '-',
                  internationalPrefix: device.internationalPrefix,
                  extensionPattern: device.extensionPattern || '-',
                })}
              </Text>
            )}
          </Group>
          {device && <DeviceRules deviceId={device.id} canWrite={canWrite} />}
        </>
      )}
    </>
  );
}

function DeviceRules({ deviceId, canWrite }: { deviceId: number; canWrite: boolean }) {
  const { t } = useTranslation();
  const rules = useApiQuery('routePrefixes.list', { deviceId });
  const reload = rules.reload;
  const [editing, setEditing] = useState<RoutePrefix | null>(null);
  const [formOpened, setFormOpened] = useState(false);
  const [deleting, setDeleting] = useState<RoutePrefix | null>(null);
  const [deleteOpened, setDeleteOpened] = useState(false);
  const count = rules.data?.length ?? 0;

  const openForm = (rule: RoutePrefix | null) => {
    setEditing(rule);
    setFormOpened(true);
  };
  const move = async (rule: RoutePrefix, position: number) => {
    try {
      await call('routePrefixes.update', { id: rule.id, position });
      reload();
    } catch (err) {
      notifyError(err, t);
    }
  };

  const columns: DataTableColumn<RoutePrefix>[] = [
    { accessor: 'position', title: t('routePrefixes:fields.position'), width: 60, textAlign: 'right' },
    { accessor: 'prefix', title: t('routePrefixes:fields.prefix'), render: (r) => <Text ff="monospace" fw={600}>{r.prefix}</Text> },
    { accessor: 'minRemainingLength', title: t('routePrefixes:fields.minRemainingLength'), textAlign: 'right' },
    {
      accessor: 'replacement',
      title: t('routePrefixes:fields.replacement'),
      render: (r) =>
        r.replacement ? (
          <Text ff="monospace">{r.replacement}</Text>
        ) : (
          <Badge variant="light" color="gray">
            {t('routePrefixes:strip')}
          </Badge>
        ),
    },
    {
      accessor: 'effect',
      title: t('routePrefixes:effect'),
      noWrap: true,
      render: (r) => (
        <Text size="sm" c="dimmed" ff="monospace">
          {t('routePrefixes:effectText', { prefix: r.prefix, min: r.minRemainingLength, replacement: r.replacement })}
        </Text>
      ),
    },
    { accessor: 'notes', title: t('routePrefixes:fields.notes') },
    ...(canWrite
      ? [
          {
            accessor: 'actions',
            title: t('common:actions.label'),
            textAlign: 'right' as const,
            render: (r: RoutePrefix) => (
              <Group gap={4} justify="flex-end" wrap="nowrap">
                <Tooltip label={t('routePrefixes:actions.up')}>
                  <ActionIcon variant="subtle" disabled={r.position === 1} aria-label={t('routePrefixes:actions.upNamed', { prefix: r.prefix })} onClick={() => void move(r, r.position - 1)}>
                    <IconArrowUp size={16} />
                  </ActionIcon>
                </Tooltip>
                <Tooltip label={t('routePrefixes:actions.down')}>
                  <ActionIcon variant="subtle" disabled={r.position === count} aria-label={t('routePrefixes:actions.downNamed', { prefix: r.prefix })} onClick={() => void move(r, r.position + 1)}>
                    <IconArrowDown size={16} />
                  </ActionIcon>
                </Tooltip>
                <Tooltip label={t('common:actions.edit')}>
                  <ActionIcon variant="subtle" aria-label={t('routePrefixes:actions.editNamed', { prefix: r.prefix })} onClick={() => openForm(r)}>
                    <IconPencil size={16} />
                  </ActionIcon>
                </Tooltip>
                <Tooltip label={t('routePrefixes:actions.delete')}>
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    aria-label={t('routePrefixes:actions.deleteNamed', { prefix: r.prefix })}
                    onClick={() => {
                      setDeleting(r);
                      setDeleteOpened(true);
                    }}
                  >
                    <IconTrash size={16} />
                  </ActionIcon>
                </Tooltip>
              </Group>
            ),
          },
        ]
      : []),
  ];

  return (
    <Flex direction={{ base: 'column', xl: 'row' }} gap="md" align="stretch">
      <Box flex={7} miw={0}>
        {rules.error && <ErrorAlert error={rules.error} onRetry={rules.reload} />}
        <Group justify="space-between" mb="xs">
          <Text size="sm" c="dimmed">
            {t('routePrefixes:orderHint')}
          </Text>
          {canWrite && (
            <Button size="xs" leftSection={<IconPlus size={14} />} onClick={() => openForm(null)}>
              {t('routePrefixes:actions.add')}
            </Button>
          )}
        </Group>
        <DataTable<RoutePrefix>
          aria-label={t('nav:routePrefixes')}
          withTableBorder
          borderRadius="sm"
          striped
          minHeight={count ? 120 : 220}
          records={rules.data ?? []}
          columns={columns}
          fetching={rules.loading}
          loaderBackgroundBlur={0}
          emptyState={
            rules.data ? (
              <EmptyState
                title={t('routePrefixes:empty.title')}
                hint={t('routePrefixes:empty.hint')}
                action={canWrite ? <Button size="xs" onClick={() => openForm(null)}>{t('routePrefixes:actions.add')}</Button> : undefined}
              />
            ) : (
              <span />
            )
          }
        />
      </Box>
      <Box flex={5} miw={0}>
        <DialTester deviceId={deviceId} />
      </Box>
      <RoutePrefixFormModal
        opened={formOpened}
        deviceId={deviceId}
        rule={editing}
        ruleCount={count}
        onClose={() => setFormOpened(false)}
        onSaved={(rule, created) => {
          notifySuccess(created ? t('routePrefixes:notify.created', { prefix: rule.prefix }) : t('routePrefixes:notify.updated', { prefix: rule.prefix }));
          reload();
        }}
      />
      <ConfirmActionModal
        opened={deleteOpened}
        onClose={() => setDeleteOpened(false)}
        title={t('routePrefixes:delete.title', { prefix: deleting?.prefix ?? '' })}
        message={t('routePrefixes:delete.message')}
        confirmLabel={t('routePrefixes:actions.delete')}
        reason="none"
        onConfirm={async () => {
          if (!deleting) return;
          await call('routePrefixes.delete', { id: deleting.id });
          notifySuccess(t('routePrefixes:notify.deleted', { prefix: deleting.prefix }));
          reload();
        }}
      />
    </Flex>
  );
}
