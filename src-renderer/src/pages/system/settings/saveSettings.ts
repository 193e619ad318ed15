import { notifications } from '@mantine/notifications';
import type { TFunction } from 'i18next';
import type { InputOf } from '../../../../../src-shared/api';
import type { SettingsUpdateResult } from '../../../../../src-shared/api/settings';
import { call } from '../../../api/client';
import { notifyError, notifySuccess } from '../../../hooks/notify';

/**
 * Saves part of the settings and says what happened: saved and in effect, saved for the next start, overridden by
 * a start option, plus the server's warnings. Field errors go on the form's inputs (`applyFieldErrors`, the form's
 * applyApiError: list items on their list); any other error is notified.
 */
export async function saveSettings(
  patch: InputOf<'settings.update'>,
  applyFieldErrors: (error: unknown) => boolean,
  t: TFunction,
): Promise<SettingsUpdateResult | null> {
  try {
    const result = await call('settings.update', patch);
    if (!result.changed.length) notifySuccess(t('settings:saved.nothing'));
    else {
      notifySuccess(
        [
          t('settings:saved.applied', { count: result.applied.length }),
          ...(result.restartRequired.length ? [t('settings:saved.restartRequired', { fields: result.restartRequired.join(', ') })] : []),
          ...(result.overriddenAtStart.length ? [t('settings:saved.overridden', { fields: result.overriddenAtStart.join(', ') })] : []),
        ].join(' '),
        t('settings:saved.title'),
      );
    }
    for (const warning of result.warnings) {
      notifications.show({ color: 'yellow', title: t('settings:saved.warning'), message: warning, autoClose: 12_000 });
    }
    return result;
  } catch (err) {
    if (!applyFieldErrors(err)) notifyError(err, t);
    return null;
  }
}

/** One address per line (or separated by commas) -> list. */
export const linesToList = (text: string) =>
  text
    .split(/[\n,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
