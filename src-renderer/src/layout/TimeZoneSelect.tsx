import { Select } from '@mantine/core';
import { IconWorld } from '@tabler/icons-react';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { knownTimeZones } from '../format/time';
import { usePreferences } from '../preferences/PreferencesProvider';

/** The zone all times are shown in; defaults to the workstation's and is remembered per browser. */
export function TimeZoneSelect() {
  const { t } = useTranslation();
  const { timeZone, setTimeZone } = usePreferences();
  const zones = useMemo(() => knownTimeZones(), []);
  return (
    <Select
      visibleFrom="md"
      aria-label={t('common:timeZone')}
      title={t('common:timeZone')}
      size="xs"
      w={190}
      searchable
      allowDeselect={false}
      leftSection={<IconWorld size={14} />}
      data={zones.includes(timeZone) ? zones : [timeZone, ...zones]}
      value={timeZone}
      onChange={(zone) => zone && setTimeZone(zone)}
      comboboxProps={{ width: 260, position: 'bottom-end' }}
    />
  );
}
