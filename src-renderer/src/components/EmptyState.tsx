import { Stack, Text, ThemeIcon } from '@mantine/core';
import { IconInbox } from '@tabler/icons-react';
import type { ReactNode } from 'react';

/**
 * What a list shows when it has nothing: what is missing and what to do next ("Add a device", "Widen the date
 * range"), with the action itself when there is one.
 */
export function EmptyState({ title, hint, action, icon }: { title: string; hint?: string; action?: ReactNode; icon?: ReactNode }) {
  return (
    <Stack align="center" gap={6} py="xl" px="md" style={{ pointerEvents: 'auto' }}>
      <ThemeIcon variant="light" color="gray" size={40} radius="xl" aria-hidden>
        {icon ?? <IconInbox size={22} />}
      </ThemeIcon>
      <Text fw={600}>{title}</Text>
      {hint && (
        <Text c="dimmed" size="sm" ta="center" maw={480}>
          {hint}
        </Text>
      )}
      {action}
    </Stack>
  );
}
