import { Alert, Button, Group, type MantineSpacing } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * The end of a form in a modal: why the last submit failed (if it did), then Cancel and the submit button. Cancel is
 * disabled and the submit button spins while the form is busy.
 */
export function FormActions({
  failure,
  busy,
  onCancel,
  submitLabel,
  submitColor,
  mt,
}: {
  failure: { title: string; message: string } | null;
  busy: boolean;
  onCancel: () => void;
  submitLabel: ReactNode;
  submitColor?: string;
  /** Space above the block, for forms that do not lay out in a Stack. */
  mt?: MantineSpacing;
}) {
  const { t } = useTranslation();
  return (
    <>
      {failure && (
        <Alert color="red" variant="light" title={failure.title} role="alert" mt={mt}>
          {failure.message}
        </Alert>
      )}
      <Group justify="flex-end" gap="xs" mt={mt}>
        <Button variant="default" onClick={onCancel} disabled={busy}>
          {t('common:actions.cancel')}
        </Button>
        <Button type="submit" loading={busy} color={submitColor}>
          {submitLabel}
        </Button>
      </Group>
    </>
  );
}
