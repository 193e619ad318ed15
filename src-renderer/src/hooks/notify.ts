import { notifications } from '@mantine/notifications';
import type { TFunction } from 'i18next';
import { ApiError } from '../../../src-shared/api/errors';

/**
 * The title for an API error in the user's language (one per error code), and the server's own message, which says
 * what exactly went wrong (which record, which field). Server messages are in English.
 */
export function describeError(error: unknown, t: TFunction): { title: string; message: string } {
  if (error instanceof ApiError) {
    if (error.code === 'throttled') {
      const seconds = (error.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
      if (seconds) return { title: t('errors:throttled'), message: t('errors:retryAfter', { seconds }) };
    }
    return { title: t(`errors:${error.code}`), message: error.message };
  }
  return { title: t('errors:internal'), message: error instanceof Error ? error.message : String(error) };
}

export function notifySuccess(message: string, title?: string): void {
  notifications.show({ color: 'green', title, message, autoClose: 4000 });
}

export function notifyError(error: unknown, t: TFunction): void {
  const { title, message } = describeError(error, t);
  notifications.show({ color: 'red', title, message, autoClose: 8000 });
}
