import { Group, Text, Tooltip } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import type { TFunction } from 'i18next';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReasonProblem } from '../../../src-shared/api/reasons';
import { translateProblem } from '../api/problems';
import { useFormatters } from '../hooks/useFormatters';

/** Params holding an instant (ISO text), shown in the clerk's time zone and format. */
const TIME_PARAMS = new Set(['at', 'start', 'horizon', 'time']);
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$/;

type Formatters = ReturnType<typeof useFormatters>;

/**
 * A reject, unrated or import reason in the clerk's language: its key in the `engine` catalogue with the params shown
 * as a clerk reads them (times in the clerk's zone, call types and countries by name, the sheet a row is on).
 */
export function reasonText(problem: ReasonProblem, t: TFunction, f: Formatters): string {
  const params: Record<string, string | number> = { ...problem.params };
  for (const [name, value] of Object.entries(params)) {
    if (TIME_PARAMS.has(name) && typeof value === 'string' && ISO_TIME.test(value)) params[name] = f.dateTime(value);
  }
  if (typeof params.callType === 'string') params.callType = t(`rating:callTypes.${params.callType}`, { defaultValue: params.callType });
  if (typeof params.country === 'string') params.country = countryName(params.country, f.locale);
  for (const name of ['nowDirection', 'storedDirection']) {
    const value = params[name];
    if (typeof value === 'string') params[name] = t(`cdrs:directions.${value}`, { defaultValue: value });
  }
  const text = translateProblem({ ...problem, params }, t);
  return typeof params.sheet === 'string' ? t('engine:import.inSheet', { sheet: params.sheet }) + text : text;
}

/** "GB" -> "英国" / "United Kingdom" (a code the browser does not know stays as it is). */
export function countryName(code: string, locale: string): string {
  try {
    return new Intl.DisplayNames([locale], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** `reasonText` bound to the current language and formatters. */
export function useReasonText(): (problem: ReasonProblem) => string {
  const { t } = useTranslation();
  const f = useFormatters();
  return useCallback((problem: ReasonProblem) => reasonText(problem, t, f), [t, f]);
}

/**
 * The reason as a clerk reads it, with the engine's English sentence behind an info mark (for support): marked
 * `lang="en"` and `data-technical-detail` so checks for untranslated words leave it out.
 */
export function ReasonText({ problem, size = 'sm', c, fw }: { problem: ReasonProblem; size?: 'xs' | 'sm'; c?: string; fw?: number }) {
  const text = useReasonText()(problem);
  return <ReasonLine text={text} english={problem.text} size={size} {...(c ? { c } : {})} {...(fw ? { fw } : {})} />;
}

/** A sentence in the clerk's language with the engine's English sentence behind an info mark. */
export function ReasonLine({ text, english: source, size = 'sm', c, fw }: { text: string; english: string | null; size?: 'xs' | 'sm'; c?: string; fw?: number }) {
  const { t } = useTranslation();
  const english = source && source !== text ? source : null;
  return (
    <Group gap={4} wrap="nowrap" align="flex-start">
      <Text size={size} {...(c ? { c } : {})} {...(fw ? { fw } : {})} style={{ overflowWrap: 'anywhere' }}>
        {text}
      </Text>
      {english && (
        <Tooltip
          label={
            <span lang="en" data-technical-detail="">
              {english}
            </span>
          }
          multiline
          maw={420}
          withArrow
          events={{ hover: true, focus: true, touch: true }}
        >
          <span tabIndex={0} role="note" aria-label={t('ingest:reasonDetail')} style={{ display: 'inline-flex', color: 'var(--mantine-color-dimmed)', cursor: 'help', flexShrink: 0 }}>
            <IconInfoCircle size={14} />
          </span>
        </Tooltip>
      )}
    </Group>
  );
}
