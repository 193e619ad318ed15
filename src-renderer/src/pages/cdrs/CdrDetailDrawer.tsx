import { Alert, Badge, Code, Drawer, Group, ScrollArea, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { CdrDetail } from '../../../../src-shared/api/cdrs';
import { ErrorAlert } from '../../components/ErrorAlert';
import { MoneyText } from '../../components/MoneyText';
import { ReasonLine, useReasonText } from '../../components/ReasonText';
import { useApiQuery } from '../../hooks/useApiQuery';
import { useFormatters } from '../../hooks/useFormatters';
import { CallTypeBadge } from '../rating/components/CallTypeBadge';
import { ExplainSteps, explainStepText } from '../rating/components/ExplainSteps';

export const STATUS_COLORS = { rated: 'green', unrated: 'red', pending: 'yellow' } as const;

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" component="div">
        {children === null || children === undefined || children === '' ? '—' : children}
      </Text>
    </Stack>
  );
}

/** "Why this price": payer, normalization and classification steps, rate, seconds per interval, cost. */
function WhyThisPrice({ cdr }: { cdr: CdrDetail }) {
  const { t, i18n } = useTranslation();
  const f = useFormatters();
  const x = cdr.explanation;
  const steps = x.classification?.steps ?? [];
  return (
    <Stack gap="sm">
      <Alert variant="light" color={x.matchesStored ? 'blue' : 'orange'} icon={<IconInfoCircle size={18} />} p="xs">
        <Text size="sm">
          {cdr.status === 'pending'
            ? t('cdrs:detail.pendingNote', { at: f.dateTime(x.computedAt) })
            : x.matchesStored
              ? t('cdrs:detail.recomputedSame', { at: f.dateTime(x.computedAt) })
              : t('cdrs:detail.recomputedDiffers', {
                  at: f.dateTime(x.computedAt),
                  what: x.differences.map((d) => t(`cdrs:detail.differences.${d}`)).join(', '),
                })}
        </Text>
        {!x.matchesStored && cdr.stored.cost !== null && (
          <Text size="sm" mt={4}>
            {t('cdrs:detail.storedVsNow', { stored: f.money(cdr.stored.cost), now: f.money(x.cost) })}
          </Text>
        )}
      </Alert>
      <Field label={t('cdrs:detail.payer')}>
        {x.payer ? (
          <Stack gap={2}>
            <Text size="sm">
              {t('cdrs:detail.payerLine', { account: x.payer.accountName, enterprise: x.payer.enterpriseName, group: x.payer.rateGroupName })}
            </Text>
            <Text size="xs" c="dimmed">
              {explainStepText(x.payer.why, t, i18n.resolvedLanguage ?? 'en')}
            </Text>
          </Stack>
        ) : (
          <Text size="sm" c="red">
            {x.reason ? explainStepText(x.reason, t, i18n.resolvedLanguage ?? 'en') : t('cdrs:detail.noPayer')}
          </Text>
        )}
      </Field>
      {steps.length > 0 && (
        <Stack gap={4}>
          <Text size="xs" c="dimmed">
            {t('cdrs:detail.steps')}
          </Text>
          <ExplainSteps steps={steps} {...(x.reason ? { reason: x.reason } : {})} label={t('cdrs:detail.steps')} />
        </Stack>
      )}
      {x.rated && (
        <>
          <Table withTableBorder striped fz="sm" aria-label={t('cdrs:detail.intervals')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('cdrs:detail.interval')}</Table.Th>
                <Table.Th ta="right">{t('cdrs:detail.seconds')}</Table.Th>
                <Table.Th ta="right">{t('cdrs:detail.billedSeconds')}</Table.Th>
                <Table.Th ta="right">{t('cdrs:detail.price')}</Table.Th>
                <Table.Th ta="right">{t('cdrs:detail.amount')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {x.intervals.map((i) => (
                <Table.Tr key={i.index}>
                  <Table.Td>{i.end === null ? t('cdrs:detail.intervalFrom', { start: i.start }) : t('cdrs:detail.intervalRange', { start: i.start, end: i.end })}</Table.Td>
                  <Table.Td ta="right">{i.seconds}</Table.Td>
                  <Table.Td ta="right">{i.billedSeconds}</Table.Td>
                  <Table.Td ta="right">{t('cdrs:detail.pricePer', { price: f.money(i.price), unit: i.unit, increment: i.increment })}</Table.Td>
                  <Table.Td>
                    <MoneyText amount={i.amount} size="sm" />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Group justify="space-between">
            <Text size="sm">
              {t('cdrs:detail.rateLine', { rate: x.rate?.name ?? '', billed: x.billedSeconds, connectFee: f.money(x.connectFee) })}
            </Text>
            <Group gap={6}>
              <Text size="sm" fw={600}>
                {t('cdrs:detail.costNow')}
              </Text>
              <MoneyText amount={x.cost} fw={600} />
            </Group>
          </Group>
        </>
      )}
    </Stack>
  );
}

function Ledger({ cdr }: { cdr: CdrDetail }) {
  const { t } = useTranslation();
  const f = useFormatters();
  if (cdr.ledger.length === 0) return <Text size="sm" c="dimmed">{t('cdrs:detail.noLedger')}</Text>;
  return (
    <Table withTableBorder fz="sm" aria-label={t('cdrs:detail.ledger')}>
      <Table.Tbody>
        {cdr.ledger.map((l) => (
          <Table.Tr key={l.id}>
            <Table.Td>{f.dateTime(l.at)}</Table.Td>
            <Table.Td>{t(`cdrs:detail.ledgerKinds.${l.kind}`)}</Table.Td>
            <Table.Td>{l.accountName}</Table.Td>
            <Table.Td>{l.reason}</Table.Td>
            <Table.Td>
              <MoneyText amount={l.amount} size="sm" />
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** One CDR: what was received, where from, who pays, why it costs what it costs, and its ledger entries. */
export function CdrDetailDrawer({ cdrId, onClose }: { cdrId: number | null; onClose(): void }) {
  const { t } = useTranslation();
  return (
    <Drawer opened={cdrId !== null} onClose={onClose} position="right" size="xl" title={t('cdrs:detail.title', { id: cdrId ?? '' })}>
      {cdrId !== null && <CdrDetailBody id={cdrId} />}
    </Drawer>
  );
}

function CdrDetailBody({ id }: { id: number }) {
  const { t } = useTranslation();
  const reason = useReasonText();
  const f = useFormatters();
  const detail = useApiQuery('cdrs.get', { id });
  if (detail.error) return <ErrorAlert error={detail.error} onRetry={detail.reload} />;
  const cdr = detail.data;
  if (!cdr || cdr.id !== id) return <Text c="dimmed">{t('common:loading')}</Text>;
  const source = cdr.source;
  return (
    <Stack gap="md" aria-label={t('cdrs:detail.label')}>
      <Group gap="xs">
        <Text fw={600}>
          {cdr.caller} → {cdr.callee}
        </Text>
        {cdr.callType && <CallTypeBadge callType={cdr.callType} size="sm" />}
        <Badge variant="light" color={STATUS_COLORS[cdr.status]} size="sm">
          {t(`cdrs:statuses.${cdr.status}`)}
        </Badge>
        {cdr.cost !== null && <MoneyText amount={cdr.cost} fw={600} display="inline" />}
      </Group>
      {cdr.status === 'unrated' && cdr.stored.reason && (
        <Alert color="red" variant="light" p="xs" title={t('cdrs:detail.unratedBecause')}>
          <ExplainSteps steps={[cdr.stored.reason]} reason={cdr.stored.reason} label={t('cdrs:detail.unratedBecause')} />
        </Alert>
      )}
      <SimpleGrid cols={3} spacing="sm">
        <Field label={t('cdrs:fields.start', { zone: f.zone })}>{f.dateTime(cdr.start, true)}</Field>
        <Field label={t('cdrs:detail.answer')}>{cdr.answer ? f.dateTime(cdr.answer) : null}</Field>
        <Field label={t('cdrs:detail.end')}>{f.dateTime(cdr.end)}</Field>
        <Field label={t('cdrs:detail.duration')}>{f.duration(cdr.duration)}</Field>
        <Field label={t('cdrs:fields.talkTime')}>{f.duration(cdr.billsec)}</Field>
        <Field label={t('cdrs:fields.disposition')}>{t(`cdrs:dispositions.${cdr.disposition}`)}{cdr.cause ? ` (${cdr.cause})` : ''}</Field>
        <Field label={t('cdrs:fields.device')}>{cdr.deviceName}</Field>
        <Field label={t('cdrs:detail.direction')}>
          {t(`cdrs:directions.${cdr.direction}`)}
          {cdr.directionReason ? (
            <ReasonLine
              text={cdr.directionProblems.map(reason).join(t('engine:direction.separator'))}
              english={cdr.directionReason}
              size="xs"
              c="dimmed"
            />
          ) : null}
        </Field>
        <Field label={t('cdrs:detail.trunks')}>{[cdr.trunkIn, cdr.trunkOut].filter(Boolean).join(' → ')}</Field>
        <Field label={t('cdrs:fields.enterprise')}>{cdr.enterpriseName}</Field>
        <Field label={t('cdrs:fields.user')}>{cdr.userAccountName}</Field>
        <Field label={t('cdrs:fields.gateway')}>{cdr.gatewayName}</Field>
      </SimpleGrid>
      <Stack gap="xs">
        <Title order={4}>{t('cdrs:detail.whyThisPrice')}</Title>
        <WhyThisPrice cdr={cdr} />
      </Stack>
      <Stack gap="xs">
        <Title order={4}>{t('cdrs:detail.ledger')}</Title>
        <Ledger cdr={cdr} />
      </Stack>
      <Stack gap="xs">
        <Title order={4}>{t('cdrs:detail.raw')}</Title>
        <Text size="xs" c="dimmed">
          {t('cdrs:detail.source', {
            kind: t(`cdrs:sources.${source.kind}`),
            name: source.name,
            position: source.line !== null ? t('cdrs:detail.line', { line: source.line }) : source.index !== null ? t('cdrs:detail.index', { index: source.index + 1 }) : '',
            received: f.dateTime(cdr.receivedAt),
          })}
        </Text>
        <ScrollArea.Autosize mah={200}>
          <Code block aria-label={t('cdrs:detail.raw')}>
            {cdr.raw}
          </Code>
        </ScrollArea.Autosize>
      </Stack>
    </Stack>
  );
}
