import { Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/**
 * The engine's English sentence behind an error, folded away: for support, not for reading. It is marked
 * `lang="en"` and `data-technical-detail` so checks for untranslated words can leave it out.
 */
export function TechnicalDetail({ detail }: { detail?: string }) {
  const { t } = useTranslation();
  if (!detail) return null;
  return (
    <details data-technical-detail="">
      <Text component="summary" size="xs" c="dimmed" style={{ cursor: 'pointer' }}>
        {t('errors:technicalDetail')}
      </Text>
      <Text size="xs" c="dimmed" lang="en" style={{ overflowWrap: 'anywhere' }}>
        {detail}
      </Text>
    </details>
  );
}
