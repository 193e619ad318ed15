import { Alert, Button, Group, Modal, Stack, Text, Textarea, type MantineColor } from '@mantine/core';
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { actionReason } from '../../../src-shared/api/common';
import { contractProblems, maxLengthOf } from '../hooks/contractForm';
import { describeError } from '../hooks/notify';
import { useContractMessages } from '../hooks/useContractForm';
import { useFormatters } from '../hooks/useFormatters';
import { withLength } from './LengthCount';

// The contract's reason (kept whole with the ledger entry or the log): its limit is shown and checked here.
const REASON_MAX = maxLengthOf(actionReason) ?? 0;

export interface ConfirmActionModalProps {
  opened: boolean;
  onClose(): void;
  title: string;
  /** What will happen, in a sentence the clerk can check ("Disable the account alice; she is logged out at once."). */
  message: ReactNode;
  confirmLabel: string;
  color?: MantineColor;
  /**
   * Ask for a reason: `required` for money-moving and destructive actions whose method takes one (it goes to the
   * ledger or the operation log); `none` where the method has nowhere to keep it.
   */
  reason?: 'required' | 'optional' | 'none';
  /** For money actions: the amount in the API form ("100.0000"), shown in digits and in words. */
  amount?: string;
  /** Runs the action; if it throws, the error is shown here and the modal stays open. */
  onConfirm(reason: string): Promise<void>;
}

/** The one confirmation for destructive or money-moving actions (UI.md conventions). */
export function ConfirmActionModal({
  opened,
  onClose,
  title,
  message,
  confirmLabel,
  color = 'red',
  reason = 'required',
  amount,
  onConfirm,
}: ConfirmActionModalProps) {
  const { t } = useTranslation();
  const f = useFormatters();
  const [reasonText, setReasonText] = useState('');
  const [reasonError, setReasonError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const messages = useContractMessages();

  useEffect(() => {
    if (!opened) return;
    setReasonText('');
    setReasonError(undefined);
    setFailure(null);
  }, [opened]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (reason === 'required' && !reasonText.trim()) {
      setReasonError(t('common:confirm.reasonRequired'));
      return;
    }
    if (reason !== 'none' && reasonText.trim()) {
      const problem = contractProblems(actionReason, reasonText, () => 'reason', messages.issue).fields['reason'];
      if (problem) return setReasonError(problem);
    }
    setBusy(true);
    setFailure(null);
    try {
      await onConfirm(reasonText.trim());
      onClose();
    } catch (err) {
      setFailure(err);
    } finally {
      setBusy(false);
    }
  };

  const failureText = failure ? describeError(failure, t) : null;
  return (
    <Modal opened={opened} onClose={busy ? () => undefined : onClose} title={title} centered>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Text size="sm">{message}</Text>
          {amount !== undefined && (
            <Stack gap={2} p="sm" bg="var(--mantine-color-gray-0)" style={{ borderRadius: 'var(--mantine-radius-sm)' }}>
              <Text size="xs" c="dimmed">
                {t('common:confirm.amount')}
              </Text>
              <Text fw={700} fz="lg" style={{ fontVariantNumeric: 'tabular-nums' }}>
                {f.money(amount)}
              </Text>
              <Text size="sm">{f.moneyInWords(amount)}</Text>
            </Stack>
          )}
          {reason !== 'none' && (
            <Textarea
              label={t('common:confirm.reason')}
              description={withLength(t('common:confirm.reasonHint'), reasonText.length, REASON_MAX)}
              required={reason === 'required'}
              autosize
              minRows={2}
              maxRows={8}
              value={reasonText}
              error={reasonError}
              onChange={(event) => {
                setReasonText(event.currentTarget.value);
                setReasonError(undefined);
              }}
              data-autofocus
            />
          )}
          {failureText && (
            <Alert color="red" variant="light" title={failureText.title} role="alert">
              {failureText.message}
            </Alert>
          )}
          <Group justify="flex-end" gap="xs" mt="xs">
            <Button variant="default" onClick={onClose} disabled={busy}>
              {t('common:actions.cancel')}
            </Button>
            <Button type="submit" color={color} loading={busy} data-autofocus={reason === 'none' ? true : undefined}>
              {confirmLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
