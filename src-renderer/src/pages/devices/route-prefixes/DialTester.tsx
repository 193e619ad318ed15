import { Card, Group, Loader, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { useApiQuery } from '../../../hooks/useApiQuery';
import { CallTypeBadge } from '../../rating/components/CallTypeBadge';
import { ExplainSteps } from '../../rating/components/ExplainSteps';

/**
 * "Dial string in, normalized number out": what the engine makes of a number with the device's rules as saved (a
 * saved rule asks again by itself: the answer follows route prefix changes).
 */
export function DialTester({ deviceId }: { deviceId: number }) {
  const { t, i18n } = useTranslation();
  const [dialled, setDialled] = useState('');
  const [debounced] = useDebouncedValue(dialled.trim(), 250);
  const classified = useApiQuery('rating.classify', { deviceId, number: debounced }, { enabled: debounced !== '' });
  const result = classified.data ?? null;
  const { error, loading } = classified;

  const region = result ? (i18n.resolvedLanguage === 'en' && result.regionEn ? result.regionEn : result.region) : undefined;
  return (
    <Card withBorder padding="md" radius="sm">
      <Stack gap="sm">
        <Title order={3} fz="h5">
          {t('routePrefixes:tester.title')}
        </Title>
        <TextInput
          label={t('routePrefixes:tester.dialled')}
          description={t('routePrefixes:tester.hint')}
          placeholder="902150001234"
          value={dialled}
          onChange={(e) => setDialled(e.currentTarget.value)}
          rightSection={loading ? <Loader size={14} /> : null}
          data-testid="dial-tester-input"
        />
        {error !== null && <ErrorAlert error={error} />}
        {result && (
          <Stack gap="xs" aria-live="polite">
            <Group gap="xs" align="baseline">
              <Text size="sm" c="dimmed">
                {t('routePrefixes:tester.normalized')}
              </Text>
              <Text fw={700} ff="monospace" fz="lg" data-testid="dial-tester-normalized">
                {result.normalized}
              </Text>
              <CallTypeBadge callType={result.callType} />
            </Group>
            {(result.area || region) && (
              <Text size="sm">
                {t('rating:quote.area', { area: result.area ?? '', region: region ?? '' })}
              </Text>
            )}
            <ExplainSteps steps={result.steps} reason={result.reason} label={t('rating:quote.steps')} />
          </Stack>
        )}
      </Stack>
    </Card>
  );
}
