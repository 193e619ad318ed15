import { Badge, Code, ScrollArea, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CdrRejectRow } from '../../../../src-shared/api/ingest';
import { ReasonText } from '../../components/ReasonText';

/** Where a reject came from: "import · Master.csv · line 7", "tcp · tcp#3 10.0.0.5:40211 · line 12". */
export function RejectSource({ row }: { row: CdrRejectRow }) {
  const { t } = useTranslation();
  const position =
    row.sourceLine !== null
      ? t('ingest:rejects.line', { line: row.sourceLine })
      : row.sourceIndex !== null
        ? t('ingest:rejects.record', { index: row.sourceIndex + 1 })
        : t('ingest:rejects.wholeBody');
  return (
    <Stack gap={0}>
      <Text size="sm">
        <Badge size="xs" variant="light" mr={6}>
          {t(`ingest:sourceKinds.${row.sourceKind}`)}
        </Badge>
        {row.sourceName}
      </Text>
      <Text size="xs" c="dimmed">
        {position}
      </Text>
    </Stack>
  );
}

/** The raw record as received, scrollable (records can be long), with a note when only its start was kept. */
export function RawRecord({ row }: { row: CdrRejectRow }) {
  const { t } = useTranslation();
  return (
    <Stack gap={4}>
      <ScrollArea.Autosize mah={240}>
        <Code block aria-label={t('ingest:fields.raw')} style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
          {row.raw || t('ingest:rejects.emptyRaw')}
        </Code>
      </ScrollArea.Autosize>
      {!row.rawComplete && (
        <Text size="xs" c="orange">
          {t('ingest:rejects.cut')}
        </Text>
      )}
    </Stack>
  );
}

/** A short list of rejects (an import's result): where, why, and the record itself. */
export function RejectsTable({ rows, label }: { rows: CdrRejectRow[]; label: string }) {
  const { t } = useTranslation();
  return (
    <Table withTableBorder striped verticalSpacing="xs" aria-label={label} layout="fixed">
      <Table.Thead>
        <Table.Tr>
          <Table.Th w={220}>{t('ingest:fields.source')}</Table.Th>
          <Table.Th w="35%">{t('ingest:fields.reason')}</Table.Th>
          <Table.Th>{t('ingest:fields.raw')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((row) => (
          <Table.Tr key={row.id}>
            <Table.Td>
              <RejectSource row={row} />
            </Table.Td>
            <Table.Td>
              <ReasonText problem={row.problem} />
            </Table.Td>
            <Table.Td>
              <RawRecord row={row} />
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
