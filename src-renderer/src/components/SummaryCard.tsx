import { Card, Text } from '@mantine/core';

/** A figure on a dashboard: its label, the figure large, and a few lines under it (the clerks' and an enterprise's). */
export function SummaryCard({ label, value, lines }: { label: string; value: React.ReactNode; lines: string[] }) {
  return (
    <Card withBorder padding="md">
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text fz={28} fw={700} style={{ fontVariantNumeric: 'tabular-nums' }}>
        {value}
      </Text>
      {lines.map((line) => (
        <Text key={line} size="xs" c="dimmed">
          {line}
        </Text>
      ))}
    </Card>
  );
}
