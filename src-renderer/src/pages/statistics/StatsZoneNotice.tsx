import { Button, Group, Select, Text } from '@mantine/core';
import { IconWorld } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client';
import { knownTimeZones } from '../../format/time';
import { useApiQuery } from '../../hooks/useApiQuery';
import { notifyError, notifySuccess } from '../../hooks/notify';
import { usePermissions } from '../../session/SessionProvider';

/** The zone the daily statistics are counted in; an administrator can count them again in another one. */
export function StatsZoneNotice() {
  const { t } = useTranslation();
  const { isAdmin } = usePermissions();
  const settings = useApiQuery('stats.settings', {});
  const zones = useMemo(() => knownTimeZones(), []);
  const [editing, setEditing] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const s = settings.data;
  if (!s) return null;

  const save = async () => {
    if (!editing) return;
    setBusy(true);
    try {
      const next = await call('stats.setTimeZone', { timeZone: editing });
      notifySuccess(t('statistics:zone.changed', { zone: next.timeZone }));
      setEditing(null);
      settings.reload();
    } catch (err) {
      notifyError(err, t);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Group gap="xs" mt="sm" wrap="wrap">
      <IconWorld size={14} color="gray" />
      <Text size="xs" c="dimmed">
        {s.rebuild ? t('statistics:zone.rebuilding', { zone: s.rebuild.timeZone }) : t('statistics:zone.current', { zone: s.rollupTimeZone ?? s.timeZone })}
      </Text>
      {isAdmin && editing === null && (
        <Button size="compact-xs" variant="subtle" onClick={() => setEditing(s.timeZone)}>
          {t('statistics:zone.change')}
        </Button>
      )}
      {isAdmin && editing !== null && (
        <>
          <Select size="xs" aria-label={t('statistics:zone.label')} searchable data={zones} value={editing} onChange={(z) => setEditing(z)} w={220} />
          <Button size="xs" loading={busy} disabled={editing === s.timeZone} onClick={() => void save()}>
            {t('statistics:zone.save')}
          </Button>
          <Button size="xs" variant="default" onClick={() => setEditing(null)}>
            {t('common:actions.cancel')}
          </Button>
        </>
      )}
    </Group>
  );
}
