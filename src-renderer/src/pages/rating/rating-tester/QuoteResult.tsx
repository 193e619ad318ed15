import { Alert, Card, Grid, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { RatingQuote } from '../../../../../src-shared/api/rating';
import { MoneyText } from '../../../components/MoneyText';
import { useFormatters } from '../../../hooks/useFormatters';
import { CallTypeBadge } from '../components/CallTypeBadge';
import { ExplainSteps, explainStepText } from '../components/ExplainSteps';

/** "Why this price": summary, the matched rate, seconds billed per interval, and every step in order. */
export function QuoteResult({ quote }: { quote: RatingQuote }) {
  const { t, i18n } = useTranslation();
  const f = useFormatters();
  const region = i18n.resolvedLanguage === 'en' && quote.regionEn ? quote.regionEn : quote.region;
  const country = quote.country ? new Intl.DisplayNames([f.locale], { type: 'region' }).of(quote.country) ?? quote.country : undefined;
  return (
    <Stack gap="md" data-testid="quote-result">
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Card withBorder radius="sm" padding="md" h="100%">
            <Stack gap={6}>
              <Group gap="xs">
                <CallTypeBadge callType={quote.callType} size="lg" />
                {quote.numberKind && <Text size="sm" c="dimmed">{t(`rating:numberKinds.${quote.numberKind}`)}</Text>}
              </Group>
              <Group gap="xs" align="baseline">
                <Text size="sm" c="dimmed">{t('rating:quote.normalized')}</Text>
                <Text ff="monospace" fw={700} data-testid="quote-normalized">{quote.normalized}</Text>
              </Group>
              {(quote.area || region) && <Text size="sm">{t('rating:quote.area', { area: quote.area ?? '', region: region ?? '' })}</Text>}
              {quote.carrier && <Text size="sm">{t('rating:quote.carrier', { carrier: quote.carrier })}</Text>}
              {country && <Text size="sm">{t('rating:quote.country', { country })}</Text>}
              {quote.rate ? (
                <Text size="sm">
                  {t('rating:quote.rate', { name: quote.rate.name, prefix: quote.rate.prefix || t('rating:defaultPrefix') })}
                </Text>
              ) : null}
            </Stack>
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Card withBorder radius="sm" padding="md" h="100%">
            <Text size="sm" c="dimmed">{t('rating:quote.cost')}</Text>
            <MoneyText amount={quote.cost} fz={32} fw={700} ta="left" data-testid="quote-cost" />
            <Text size="sm" c="dimmed">
              {t('rating:quote.exact', { cost: quote.cost, currency: quote.currency })}
            </Text>
            <Text size="sm">{t('rating:quote.seconds', { billsec: quote.billsec, charged: quote.chargedSeconds, billed: quote.billedSeconds })}</Text>
          </Card>
        </Grid.Col>
      </Grid>
      {!quote.rated && quote.reason && (
        <Alert color="orange" variant="light" title={t('rating:quote.notRated')} role="status">
          {explainStepText(quote.reason, t, i18n.resolvedLanguage ?? 'en')}
        </Alert>
      )}
      {quote.intervals.length > 0 && (
        <Card withBorder radius="sm" padding="md">
          <Title order={3} fz="h5" mb="xs">{t('rating:quote.intervals')}</Title>
          <Table striped withTableBorder fz="sm" aria-label={t('rating:quote.intervals')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>#</Table.Th>
                <Table.Th>{t('rating:quote.range')}</Table.Th>
                <Table.Th ta="right">{t('rating:quote.inInterval')}</Table.Th>
                <Table.Th ta="right">{t('rating:quote.billed')}</Table.Th>
                <Table.Th>{t('rating:quote.tariff')}</Table.Th>
                <Table.Th ta="right">{t('rating:quote.amount')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {quote.intervals.map((i) => (
                <Table.Tr key={i.index}>
                  <Table.Td>{i.index}</Table.Td>
                  <Table.Td>{i.end === null ? t('rating:quote.rangeOpen', { start: i.start }) : t('rating:quote.rangeClosed', { start: i.start, end: i.end })}</Table.Td>
                  <Table.Td ta="right">{t('rating:secondsShort', { n: i.seconds })}</Table.Td>
                  <Table.Td ta="right">{t('rating:secondsShort', { n: i.billedSeconds })}</Table.Td>
                  <Table.Td>{t('rating:intervalText', { start: i.start, price: f.money(i.price), unit: i.unit, increment: i.increment })}</Table.Td>
                  <Table.Td><MoneyText amount={i.amount} size="sm" /></Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {quote.connectFee !== '0.0000' && (
            <Text size="sm" mt={6}>{t('rating:quote.connectFee', { amount: f.money(quote.connectFee) })}</Text>
          )}
        </Card>
      )}
      <Card withBorder radius="sm" padding="md">
        <Title order={3} fz="h5" mb="xs">{t('rating:quote.steps')}</Title>
        <ExplainSteps steps={quote.steps} reason={quote.reason} label={t('rating:quote.steps')} />
      </Card>
    </Stack>
  );
}
