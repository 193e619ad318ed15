import { Select } from '@mantine/core';
import { IconWorld } from '@tabler/icons-react';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { knownTimeZones } from '../format/time';
import { saveClerkPreferences } from '../preferences/clerkPreferences';
import { usePreferences } from '../preferences/PreferencesProvider';
import { useSession } from '../session/SessionProvider';

/**
 * The zone all times are shown in; defaults to the workstation's, is remembered per browser and as the logged-in
 * clerk's own (applied at each of their logins). In the header (small) or with its label in the preferences dialog.
 */
export function TimeZoneSelect({ withLabel = false }: { withLabel?: boolean }) {
  const { t } = useTranslation();
  const { timeZone, setTimeZone } = usePreferences();
  const { user } = useSession();
  const zones = useMemo(() => knownTimeZones(), []);
  return (
    <Select
      {...(withLabel ? { label: t('common:timeZone') } : { visibleFrom: 'md', 'aria-label': t('common:timeZone'), title: t('common:timeZone'), size: 'xs', w: 190 })}
      searchable
      allowDeselect={false}
      leftSection={<IconWorld size={14} />}
      data={zones.includes(timeZone) ? zones : [timeZone, ...zones]}
      value={timeZone}
      onChange={(zone) => {
        if (!zone) return;
        setTimeZone(zone);
        if (user) saveClerkPreferences(user.id, { timeZone: zone });
      }}
      comboboxProps={withLabel ? { withinPortal: true } : { width: 260, position: 'bottom-end' }}
    />
  );
}
