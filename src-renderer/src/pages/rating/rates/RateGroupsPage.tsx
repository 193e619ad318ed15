import { Badge, Button, Grid, Group, NavLink, Paper, ScrollArea, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RateGroup, RateRecord } from '../../../../../src-shared/api/rating';
import { RATED_CALL_TYPES, type RatedCallType } from '../../../../../src-shared/domain/numbers/classify-call';
import { call } from '../../../api/client';
import { ConfirmActionModal } from '../../../components/ConfirmActionModal';
import { EmptyState } from '../../../components/EmptyState';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { PageHeader } from '../../../components/PageHeader';
import { notifySuccess } from '../../../hooks/notify';
import { useApiQuery } from '../../../hooks/useApiQuery';
import { useUrlFilters } from '../../../hooks/useUrlFilters';
import { usePermissions } from '../../../session/SessionProvider';
import { RateFormModal } from './RateFormModal';
import { RateGroupFormModal } from './RateGroupFormModal';
import { RatesTable } from './RatesTable';

/** Billing → Rate groups and rates: the groups on the left, the selected group's rates on the right. */
export function RateGroupsPage() {
  const { t } = useTranslation();
  const { canWrite } = usePermissions();
  const [filters, setFilters] = useUrlFilters({ group: '', type: '' });
  const groups = useApiQuery('rateGroups.list', {});
  const [groupForm, setGroupForm] = useState<{ opened: boolean; group: RateGroup | null }>({ opened: false, group: null });
  const [deletingGroup, setDeletingGroup] = useState<{ opened: boolean; group: RateGroup | null }>({ opened: false, group: null });

  useEffect(() => {
    const first = groups.data?.[0];
    if (first && !groups.data?.some((g) => String(g.id) === filters.group)) setFilters({ group: String(first.id) });
  }, [groups.data, filters.group, setFilters]);
  const group = groups.data?.find((g) => String(g.id) === filters.group) ?? null;
  const openCreate = () => setGroupForm({ opened: true, group: null });

  return (
    <>
      <PageHeader
        title={t('nav:rates')}
        description={t('rating:ratesDescription')}
        actions={
          canWrite && (
            <Button leftSection={<IconPlus size={16} />} onClick={openCreate}>
              {t('rating:actions.createGroup')}
            </Button>
          )
        }
      />
      {groups.error && <ErrorAlert error={groups.error} onRetry={groups.reload} />}
      {groups.data && groups.data.length === 0 ? (
        <EmptyState
          title={t('rating:emptyGroups.title')}
          hint={t('rating:emptyGroups.hint')}
          action={canWrite ? <Button onClick={openCreate}>{t('rating:actions.createGroup')}</Button> : undefined}
        />
      ) : (
        <Grid gap="md">
          <Grid.Col span={{ base: 12, md: 3 }}>
            <Paper withBorder radius="sm" p={4}>
              <ScrollArea.Autosize mah={600}>
                <nav aria-label={t('rating:groupList')}>
                  {(groups.data ?? []).map((g) => (
                    <NavLink
                      key={g.id}
                      label={g.name}
                      description={g.currency}
                      active={g.id === group?.id}
                      onClick={() => setFilters({ group: String(g.id) })}
                      rightSection={
                        <Badge size="sm" variant="light" color="gray">
                          {g.rateCount}
                        </Badge>
                      }
                    />
                  ))}
                </nav>
              </ScrollArea.Autosize>
            </Paper>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 9 }}>
            {group && (
              <GroupRates
                group={group}
                typeFilter={filters.type as RatedCallType | ''}
                onTypeFilter={(type) => setFilters({ type })}
                canWrite={canWrite}
                onEditGroup={() => setGroupForm({ opened: true, group })}
                onDeleteGroup={() => setDeletingGroup({ opened: true, group })}
                onChanged={groups.reload}
              />
            )}
          </Grid.Col>
        </Grid>
      )}
      <RateGroupFormModal
        opened={groupForm.opened}
        group={groupForm.group}
        onClose={() => setGroupForm((s) => ({ ...s, opened: false }))}
        onSaved={(saved, created) => {
          notifySuccess(created ? t('rating:notify.groupCreated', { name: saved.name }) : t('rating:notify.groupUpdated', { name: saved.name }));
          groups.reload();
          setFilters({ group: String(saved.id) });
        }}
      />
      <ConfirmActionModal
        opened={deletingGroup.opened}
        onClose={() => setDeletingGroup((s) => ({ ...s, opened: false }))}
        title={t('rating:deleteGroup.title', { name: deletingGroup.group?.name ?? '' })}
        message={t('rating:deleteGroup.message', { count: deletingGroup.group?.rateCount ?? 0 })}
        confirmLabel={t('rating:actions.deleteGroup')}
        reason="none"
        onConfirm={async () => {
          if (!deletingGroup.group) return;
          await call('rateGroups.delete', { id: deletingGroup.group.id });
          notifySuccess(t('rating:notify.groupDeleted', { name: deletingGroup.group.name }));
          setFilters({ group: '' });
          groups.reload();
        }}
      />
    </>
  );
}

function GroupRates({
  group,
  typeFilter,
  onTypeFilter,
  canWrite,
  onEditGroup,
  onDeleteGroup,
  onChanged,
}: {
  group: RateGroup;
  typeFilter: RatedCallType | '';
  onTypeFilter(type: string): void;
  canWrite: boolean;
  onEditGroup(): void;
  onDeleteGroup(): void;
  onChanged(): void;
}) {
  const { t } = useTranslation();
  const rates = useApiQuery('rates.list', { rateGroupId: group.id, ...(typeFilter ? { callType: typeFilter } : {}) });
  const [form, setForm] = useState<{ opened: boolean; rate: RateRecord | null }>({ opened: false, rate: null });
  const [deleting, setDeleting] = useState<{ opened: boolean; rate: RateRecord | null }>({ opened: false, rate: null });
  const reload = () => {
    rates.reload();
    onChanged();
  };
  const addRate = () => setForm({ opened: true, rate: null });

  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={3} fz="h4">
            {group.name}
          </Title>
          <Text size="sm" c="dimmed">
            {t('rating:groupSummary', { currency: group.currency, count: group.rateCount })}
            {group.notes ? ` · ${group.notes}` : ''}
          </Text>
        </div>
        {canWrite && (
          <Group gap="xs">
            <Button size="xs" variant="default" leftSection={<IconPencil size={14} />} onClick={onEditGroup}>
              {t('rating:actions.editGroup')}
            </Button>
            <Button size="xs" variant="default" color="red" leftSection={<IconTrash size={14} />} onClick={onDeleteGroup}>
              {t('rating:actions.deleteGroup')}
            </Button>
            <Button size="xs" leftSection={<IconPlus size={14} />} onClick={addRate}>
              {t('rating:actions.addRate')}
            </Button>
          </Group>
        )}
      </Group>
      <SegmentedControl
        size="xs"
        value={typeFilter}
        onChange={onTypeFilter}
        data={[{ value: '', label: t('rating:allTypes') }, ...RATED_CALL_TYPES.map((c) => ({ value: c, label: t(`rating:callTypes.${c}`) }))]}
        aria-label={t('rating:fields.callType')}
      />
      {rates.error && <ErrorAlert error={rates.error} onRetry={rates.reload} />}
      <RatesTable
        rates={rates.data}
        loading={rates.loading}
        canWrite={canWrite}
        onEdit={(rate) => setForm({ opened: true, rate })}
        onDelete={(rate) => setDeleting({ opened: true, rate })}
        emptyAction={canWrite ? <Button size="xs" onClick={addRate}>{t('rating:actions.addRate')}</Button> : undefined}
      />
      <RateFormModal
        opened={form.opened}
        rateGroupId={group.id}
        rate={form.rate}
        defaultCallType={typeFilter || undefined}
        onClose={() => setForm((s) => ({ ...s, opened: false }))}
        onSaved={(saved, created) => {
          notifySuccess(created ? t('rating:notify.rateCreated', { name: saved.name }) : t('rating:notify.rateUpdated', { name: saved.name }));
          reload();
        }}
      />
      <ConfirmActionModal
        opened={deleting.opened}
        onClose={() => setDeleting((s) => ({ ...s, opened: false }))}
        title={t('rating:deleteRate.title', { name: deleting.rate?.name ?? '' })}
        message={t('rating:deleteRate.message')}
        confirmLabel={t('rating:actions.deleteRate')}
        reason="none"
        onConfirm={async () => {
          if (!deleting.rate) return;
          await call('rates.delete', { id: deleting.rate.id });
          notifySuccess(t('rating:notify.rateDeleted', { name: deleting.rate.name }));
          reload();
        }}
      />
    </Stack>
  );
}
