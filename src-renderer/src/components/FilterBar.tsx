import { Button, Group } from '@mantine/core';
import { IconFilterOff } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** The row of filters above a list, with one button to clear them all (shown only when some are set). */
export function FilterBar({ children, active, onClear }: { children: ReactNode; active: boolean; onClear(): void }) {
  const { t } = useTranslation();
  return (
    <Group align="flex-end" gap="sm" mb="md" wrap="wrap" role="search">
      {children}
      {active && (
        <Button variant="subtle" size="sm" leftSection={<IconFilterOff size={16} />} onClick={onClear}>
          {t('common:actions.clearFilters')}
        </Button>
      )}
    </Group>
  );
}
