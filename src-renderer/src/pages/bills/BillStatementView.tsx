import { Badge, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { BillChargeLine, BillStatement } from '../../../../src-shared/api/bills';
import { MoneyText } from '../../components/MoneyText';
import { formatDateTime } from '../../format/time';
import { useFormatters } from '../../hooks/useFormatters';

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Stack gap={4} className="bill-section">
      <Title order={4} fz="md">
        {title}
      </Title>
      {children}
    </Stack>
  );
}

function ChargeTable({ label, rows }: { label: string; rows: (BillChargeLine & { key: string; name: string })[] }) {
  const { t } = useTranslation();
  const f = useFormatters();
  if (rows.length === 0) return <Text size="sm" c="dimmed">{t('bills:statement.none')}</Text>;
  return (
    <Table aria-label={label} striped withTableBorder>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{label}</Table.Th>
          <Table.Th ta="right">{t('bills:statement.calls')}</Table.Th>
          <Table.Th ta="right">{t('bills:statement.duration')}</Table.Th>
          <Table.Th ta="right">{t('bills:statement.amount')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((r) => (
          <Table.Tr key={r.key}>
            <Table.Td>{r.name}</Table.Td>
            <Table.Td ta="right">{f.number(r.calls)}</Table.Td>
            <Table.Td ta="right">{f.duration(r.seconds)}</Table.Td>
            <Table.Td>
              <MoneyText amount={r.amount} size="sm" />
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** A monthly statement as it is read on screen and printed. */
export function BillStatementView({ bill }: { bill: BillStatement }) {
  const { t } = useTranslation();
  const f = useFormatters();
  // The statement's times in its own zone: the zone its month was cut in.
  const at = (instant: string) => formatDateTime(instant, { locale: f.locale, timeZone: bill.timeZone });
  const typeName = (type: string) => (type === 'unknown' ? t('bills:statement.unknownType') : t(`rating:callTypes.${type}`));
  const summary: [string, string, boolean?][] = [
    [t('bills:statement.opening'), bill.opening, true],
    [t('bills:statement.charges'), bill.movements.charges],
    [t('bills:statement.lateUsage'), bill.movements.lateUsage],
    [t('bills:statement.recharges'), bill.movements.recharges],
    [t('bills:statement.refunds'), bill.movements.refunds],
    [t('bills:statement.adjustments'), bill.movements.adjustments],
    [t('bills:statement.closing'), bill.closing, true],
    ...(bill.amountDue !== null ? [[t('bills:statement.amountDue'), bill.amountDue, true] as [string, string, boolean]] : []),
  ];
  const users = [
    ...bill.chargesByUser.map((u) => ({ key: `u${u.accountId}`, ...u })),
    ...(bill.chargesToEnterprise.calls > 0 ? [{ key: 'enterprise', name: t('bills:statement.toEnterprise'), ...bill.chargesToEnterprise }] : []),
  ];
  return (
    <Stack gap="lg" className="bill-statement">
      <Group justify="space-between" align="flex-start">
        <Stack gap={2}>
          <Title order={3}>
            {bill.enterpriseName}
            {bill.enterpriseCode ? ` (${bill.enterpriseCode})` : ''}
          </Title>
          <Text size="sm">{t('bills:statement.title', { month: bill.month })} · {t(`bills:modes.${bill.billingMode}`)}</Text>
          <Text size="sm" c="dimmed">
            {t('bills:statement.period', { from: at(bill.periodFrom), to: at(bill.periodTo), zone: bill.timeZone })}
          </Text>
        </Stack>
        <Stack gap={2} align="flex-end">
          <Badge variant="light" color={bill.state === 'closed' ? 'gray' : 'blue'}>
            {t(`bills:states.${bill.state}`)}
          </Badge>
          <Text size="xs" c="dimmed">
            {bill.state === 'closed' ? t('bills:statement.closedAt', { at: at(bill.closedAt!), by: bill.closedBy ?? '' }) : t('bills:statement.open', { from: at(bill.closableFrom) })}
          </Text>
        </Stack>
      </Group>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <Section title={t('bills:statement.summary')}>
          <Table aria-label={t('bills:statement.summary')} withTableBorder>
            <Table.Tbody>
              {summary.map(([label, amount, strong]) => (
                <Table.Tr key={label}>
                  <Table.Td fw={strong ? 600 : undefined}>{label}</Table.Td>
                  <Table.Td>
                    <MoneyText amount={amount} size="sm" fw={strong ? 600 : undefined} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Section>
        <Section title={t('bills:statement.byType')}>
          <ChargeTable label={t('bills:statement.callType')} rows={bill.chargesByType.map((c) => ({ key: c.callType, name: typeName(c.callType), ...c }))} />
        </Section>
      </SimpleGrid>
      <Section title={t('bills:statement.byUser')}>
        <ChargeTable label={t('bills:statement.account')} rows={users} />
      </Section>
      {bill.chargesByGateway.length > 0 && (
        <Section title={t('bills:statement.byGateway')}>
          <ChargeTable label={t('bills:statement.account')} rows={bill.chargesByGateway.map((g) => ({ key: `g${g.accountId}`, ...g }))} />
        </Section>
      )}
      {bill.lateUsage.months.length > 0 && (
        <Stack gap="sm" className="bill-late-usage">
          <Text size="sm" c="dimmed">
            {t('bills:statement.lateHint')}
          </Text>
          {bill.lateUsage.months.map((late) => (
            <Section key={late.month} title={t('bills:statement.lateFrom', { month: late.month })}>
              <ChargeTable
                label={t('bills:statement.callType')}
                rows={late.byType.map((c) => ({ key: c.callType, name: typeName(c.callType), ...c }))}
              />
            </Section>
          ))}
        </Stack>
      )}
      <Section title={t('bills:statement.balances')}>
        <Text size="xs" c="dimmed">
          {t('bills:statement.balancesHint')}
        </Text>
        <Table aria-label={t('bills:statement.balances')} striped withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('bills:statement.account')}</Table.Th>
              {(['opening', 'charges', 'rerates', 'recharges', 'refunds', 'adjustments', 'closing'] as const).map((k) => (
                <Table.Th key={k} ta="right">
                  {t(`bills:statement.posted.${k}`)}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {bill.balances.map((b) => (
              <Table.Tr key={b.accountId}>
                <Table.Td>
                  {b.name} <Text span size="xs" c="dimmed">{t(`bills:statement.kinds.${b.kind}`)}</Text>
                </Table.Td>
                {(['opening', 'charges', 'rerates', 'recharges', 'refunds', 'adjustments', 'closing'] as const).map((k) => (
                  <Table.Td key={k}>
                    <MoneyText amount={b[k]} size="sm" />
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Section>
      <Section title={t('bills:statement.entriesTitle')}>
        {bill.entries.length === 0 ? (
          <Text size="sm" c="dimmed">{t('bills:statement.none')}</Text>
        ) : (
          <Table aria-label={t('bills:statement.entriesTitle')} striped withTableBorder>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('bills:statement.at')}</Table.Th>
                <Table.Th>{t('bills:statement.kind')}</Table.Th>
                <Table.Th>{t('bills:statement.account')}</Table.Th>
                <Table.Th>{t('bills:statement.reason')}</Table.Th>
                <Table.Th>{t('bills:statement.operator')}</Table.Th>
                <Table.Th ta="right">{t('bills:statement.amount')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {bill.entries.map((e) => (
                <Table.Tr key={e.id}>
                  <Table.Td>{at(e.at)}</Table.Td>
                  <Table.Td>{t(`bills:statement.ledgerKinds.${e.kind}`)}</Table.Td>
                  <Table.Td>{e.accountName}</Table.Td>
                  <Table.Td>{[e.reason, e.method, e.reference].filter(Boolean).join(' · ')}</Table.Td>
                  <Table.Td>{e.operator}</Table.Td>
                  <Table.Td>
                    <MoneyText amount={e.amount} size="sm" />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Section>
    </Stack>
  );
}
