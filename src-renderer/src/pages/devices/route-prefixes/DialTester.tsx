import { Card, Group, Loader, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { NumberClassification } from '../../../../../src-shared/api/rating';
import { call } from '../../../api/client';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { CallTypeBadge } from '../../billing/components/CallTypeBadge';
import { ExplainSteps } from '../../billing/components/ExplainSteps';

/** "Dial string in, normalized number out": what the engine makes of a number with the device's rules as saved. */
export function DialTester({ deviceId, rulesVersion }: { deviceId: number; rulesVersion: number }) {
  const { t, i18n } = useTranslation();
  const [dialled, setDialled] = useState('');
  const [debounced] = useDebouncedValue(dialled.trim(), 250);
  const [result, setResult] = useState<NumberClassification | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    if (!debounced) {
      setResult(null);
      setError(null);
      return;
    }
    let current = true;
    setLoading(true);
    call('rating.classify', { deviceId, number: debounced }).then(
      (r) => current && (setResult(r), setError(null), setLoading(false)),
      (err: unknown) => current && (setError(err), setResult(null), setLoading(false)),
    );
    return () => {
      current = false;
    };
  }, [deviceId, debounced, rulesVersion]);

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
