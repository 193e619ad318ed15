import { notifications } from '@mantine/notifications';
import type { TFunction } from 'i18next';
import { createElement, Fragment } from 'react';
import { describeError } from '../api/problems';
import { TechnicalDetail } from '../components/TechnicalDetail';

// Pages import describeError from here; it lives beside translateProblem (no React there).
export { describeError, type DescribedError } from '../api/problems';

export function notifySuccess(message: string, title?: string): void {
  notifications.show({ color: 'green', title, message, autoClose: 4000 });
}

export function notifyError(error: unknown, t: TFunction): void {
  const { title, message, detail } = describeError(error, t);
  // The English detail folded under the message, for a clerk reading it out to support.
  const body = detail
    ? createElement(
        Fragment,
        null,
        createElement('div', { key: 'm' }, message),
        createElement(TechnicalDetail, { detail, key: 'd' }),
      )
    : message;
  notifications.show({ color: 'red', title, message: body, autoClose: 8000 });
}
