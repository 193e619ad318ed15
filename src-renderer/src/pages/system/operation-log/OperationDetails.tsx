import { Anchor, Code, Collapse, Group, Stack, Table, Text } from '@mantine/core';
import { IconArrowRight } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OperationLogEntry } from '../../../../../src-shared/api/logs';
import type { SentenceFormat } from './sentence';
import { changeLines, detailLines } from './sentence';

/**
 * The opened row: each changed field with its value before → after, the other details recorded with the change,
 * and, folded, the technical record (method, target, address, raw details) for support.
 */
export function OperationDetails({ entry, format }: { entry: OperationLogEntry; format: SentenceFormat }) {
  const { t, i18n } = useTranslation();
  const exists = (key: string) => i18n.exists(key);
  const [technical, setTechnical] = useState(false);
  const changes = entry.changes ? changeLines(t, exists, entry.changes, format) : [];
  const details = entry.summary === undefined ? [] : detailLines(t, exists, entry.summary, format);

  return (
    <Stack gap="xs" px="md" py="sm">
      {/* "Nothing changed" is news for an update saved as it was; for a test or a poll it is not worth a line. */}
      {entry.changes && (changes.length > 0 || entry.method.endsWith('.update')) && (
        <div>
          <Text size="sm" fw={600} mb={4}>
            {t('logs:changes.title')}
          </Text>
          {changes.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('logs:changes.none')}
            </Text>
          ) : (
            <Table withTableBorder withColumnBorders fz="sm" aria-label={t('logs:changes.title')} layout="fixed">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w="25%">{t('logs:changes.field')}</Table.Th>
                  <Table.Th>{t('logs:changes.before')}</Table.Th>
                  <Table.Th w={32} aria-hidden />
                  <Table.Th>{t('logs:changes.after')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {changes.map((c) => (
                  <Table.Tr key={c.field}>
                    <Table.Td>{c.label}</Table.Td>
                    <Table.Td style={{ overflowWrap: 'anywhere' }}>{c.before}</Table.Td>
                    <Table.Td aria-hidden>
                      <IconArrowRight size={14} />
                    </Table.Td>
                    <Table.Td style={{ overflowWrap: 'anywhere' }}>{c.after}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </div>
      )}
      {details.length > 0 && (
        <div>
          <Text size="sm" fw={600} mb={4}>
            {t('logs:changes.details')}
          </Text>
          <Stack gap={2}>
            {details.slice(0, 40).map((d) => (
              <Group key={d.field} gap="xs" wrap="nowrap" align="flex-start">
                <Text size="sm" c="dimmed" miw={160}>
                  {d.label}
                </Text>
                <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                  {d.value}
                </Text>
              </Group>
            ))}
          </Stack>
        </div>
      )}
      <Anchor component="button" type="button" size="xs" onClick={() => setTechnical((v) => !v)} aria-expanded={technical}>
        {t('logs:changes.technical')}
      </Anchor>
      <Collapse expanded={technical}>
        <Code block style={{ maxHeight: 320, overflow: 'auto' }}>
          {JSON.stringify({ method: entry.method, target: entry.target, user: entry.username, address: entry.address, changes: entry.changes, details: entry.summary }, null, 2)}
        </Code>
      </Collapse>
    </Stack>
  );
}
