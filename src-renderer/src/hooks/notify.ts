import { notifications } from '@mantine/notifications';
import type { TFunction } from 'i18next';
import { createElement, Fragment } from 'react';
import { ApiError } from '../../../src-shared/api/errors';
import { fieldProblemLines, translateProblem } from '../api/problems';
import { TechnicalDetail } from '../components/TechnicalDetail';

export interface DescribedError {
  /** What kind of failure, in the clerk's language (one per error code). */
  title: string;
  /** What went wrong, in the clerk's language: the error's Problem, or its field problems ("区号：…"). */
  message: string;
  /** The engine's English sentence, for support: shown only as a secondary "technical detail". */
  detail?: string;
}

/**
 * An API error in the clerk's language: the title by error code, the message from the error's translatable
 * Problem (or its field problems), and the engine's English text as the technical detail. An error without a Problem
 * (an older server, a transport failure) gets a generic sentence; its English text is never the main message.
 */
export function describeError(error: unknown, t: TFunction): DescribedError {
  if (error instanceof ApiError) {
    const detail = error.message || undefined;
    if (error.code === 'throttled') {
      const seconds = (error.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
      if (seconds) return { title: t('errors:throttled'), message: t('errors:retryAfter', { seconds }), detail };
    }
    const lines = fieldProblemLines(error, t);
    const message = lines.length
      ? lines.join(t('engine:api.listSeparator'))
      : error.problem
        ? translateProblem(error.problem, t)
        : t(`errors:detail.${error.code}`);
    return { title: t(`errors:${error.code}`), message, detail };
  }
  const detail = error instanceof Error ? error.message : String(error);
  return { title: t('errors:internal'), message: t('errors:detail.internal'), detail: detail || undefined };
}

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
