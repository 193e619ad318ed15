import { Alert, Code, Modal, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { systemMethods, type BackupFile, type RestoreResult } from '../../../../src-shared/api/system';
import { call } from '../../api/client';
import { withLength } from '../../components/LengthCount';
import { contractProblems, maxLengthOf } from '../../hooks/contractForm';
import { describeError } from '../../hooks/notify';
import { useContractMessages } from '../../hooks/useContractForm';
import { useFormatters } from '../../hooks/useFormatters';
import { FormActions } from '../../components/FormActions';

/** The contract's reason for a restore (kept whole in the operation log): its limit is shown and checked. */
const REASON = systemMethods['system.restore'].input.shape.reason;
const REASON_MAX = maxLengthOf(REASON) ?? 0;

/**
 * Restore asks more than a click: the backup's file name typed again and a reason (kept in the operation log of the
 * restored database). The engine checks the file before anything changes, then restarts on it.
 */
export function RestoreBackupModal({
  backup,
  opened,
  onClose,
  onRestarting,
}: {
  backup: BackupFile | null;
  opened: boolean;
  onClose(): void;
  onRestarting(result: RestoreResult): void;
}) {
  const { t } = useTranslation();
  const messages = useContractMessages();
  const f = useFormatters();
  const [typed, setTyped] = useState('');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<{ typed?: string; reason?: string }>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!opened) return;
    setTyped('');
    setReason('');
    setErrors({});
    setFailure(null);
  }, [opened]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!backup) return;
    const problems = {
      ...(typed.trim() !== backup.fileName ? { typed: t('backups:restore.typeExactly', { fileName: backup.fileName }) } : {}),
      ...(reason.trim().length < 3 ? { reason: t('backups:restore.reasonRequired') } : {}),
    };
    const tooLong = problems.reason ? undefined : contractProblems(REASON, reason, () => 'reason', messages.issue).fields['reason'];
    if (tooLong) problems.reason = tooLong;
    setErrors(problems);
    if (Object.keys(problems).length) return;
    setBusy(true);
    setFailure(null);
    try {
      const result = await call('system.restore', { fileName: backup.fileName, confirmFileName: typed.trim(), reason: reason.trim() });
      onRestarting(result);
      onClose();
    } catch (err) {
      setFailure(err);
    } finally {
      setBusy(false);
    }
  };

  const failureText = failure ? describeError(failure, t) : null;
  return (
    <Modal opened={opened} onClose={busy ? () => undefined : onClose} title={t('backups:restore.title')} centered size="lg">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />}>
            <Text size="sm">
              {t('backups:restore.warning', { createdAt: backup ? f.dateTime(backup.createdAt, true) : '' })}
            </Text>
          </Alert>
          <Text size="sm">{t('backups:restore.steps')}</Text>
          <Text size="sm">
            {t('backups:restore.typeLabel')} <Code>{backup?.fileName}</Code>
          </Text>
          <TextInput
            aria-label={t('backups:restore.typeLabel')}
            value={typed}
            error={errors.typed}
            autoComplete="off"
            onChange={(event) => {
              setTyped(event.currentTarget.value);
              setErrors((e) => ({ ...e, typed: undefined }));
            }}
            data-autofocus
          />
          <Textarea
            label={t('common:confirm.reason')}
            description={withLength(t('common:confirm.reasonHint'), reason.length, REASON_MAX)}
            required
            autosize
            minRows={2}
            maxRows={8}
            value={reason}
            error={errors.reason}
            onChange={(event) => {
              setReason(event.currentTarget.value);
              setErrors((e) => ({ ...e, reason: undefined }));
            }}
          />
          <FormActions failure={failureText} busy={busy} onCancel={onClose} submitLabel={t('backups:restore.confirm')} submitColor="red" mt="xs" />
        </Stack>
      </form>
    </Modal>
  );
}
