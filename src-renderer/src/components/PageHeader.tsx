import { Group, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import type { ReactNode } from 'react';

/** The title row of a page: what it is, one line on what it is for, and the page's main actions on the right. */
export function PageHeader({ title, description, actions }: { title: string; description?: string; actions?: ReactNode }) {
  const { t } = useTranslation();
  // The window/tab title follows the page, so bookmarks and the task bar say which view it is.
  useDocumentTitle(`${title} · ${t('common:productName')}`);
  return (
    <Group justify="space-between" align="flex-start" mb="md" wrap="nowrap">
      <Stack gap={2}>
        <Title order={2} fz="h3">
          {title}
        </Title>
        {description && (
          <Text c="dimmed" size="sm">
            {description}
          </Text>
        )}
      </Stack>
      {actions && (
        <Group gap="xs" data-page-actions>
          {actions}
        </Group>
      )}
    </Group>
  );
}
