import { List, Text, ThemeIcon } from '@mantine/core';
import { IconAlertTriangle, IconArrowRight } from '@tabler/icons-react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { ExplainStep } from '../../../../../src-shared/domain/numbers/explain-step';
import { countryName } from '../../../components/ReasonText';

/**
 * One explanation step in the user's language (the `explain` namespace holds every key the rating core emits). Region
 * and carrier names are stored in Chinese; the API adds their English names, which the other languages show.
 */
export function explainStepText(step: ExplainStep, t: TFunction, language: string): string {
  const params = { ...step.params };
  if (!language.startsWith('zh')) {
    if (params.regionEn) params.region = params.regionEn;
    if (params.carrierEn) params.carrier = params.carrierEn;
  }
  // Countries travel as ISO codes ("GB"): shown by their name in the clerk's language ("英国").
  if (typeof params.country === 'string' && /^[A-Z]{2}$/.test(params.country)) params.country = countryName(params.country, language);
  if (typeof params.callType === 'string') params.callType = t(`rating:callTypes.${params.callType}`, { defaultValue: params.callType });
  // The keys contain dots ("route.stripped"): they are flat keys, not nested ones.
  return t(step.key, { ns: 'explain', keySeparator: false, ...params, defaultValue: `${step.key} ${JSON.stringify(step.params)}` });
}

/** The "why" of a classification or a price, in order; the step that made a call unrated is marked. */
export function ExplainSteps({ steps, reason, label }: { steps: ExplainStep[]; reason?: ExplainStep; label: string }) {
  const { t, i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? 'en';
  return (
    <List
      type="ordered"
      spacing={4}
      size="sm"
      aria-label={label}
      icon={
        <ThemeIcon size={18} radius="xl" variant="light" color="gray">
          <IconArrowRight size={12} />
        </ThemeIcon>
      }
    >
      {steps.map((step, i) => {
        const isReason = reason !== undefined && step.key === reason.key && i === steps.length - 1;
        return (
          <List.Item
            key={i}
            icon={
              isReason ? (
                <ThemeIcon size={18} radius="xl" variant="light" color="red">
                  <IconAlertTriangle size={12} />
                </ThemeIcon>
              ) : undefined
            }
          >
            <Text size="sm" c={isReason ? 'red' : undefined}>
              {explainStepText(step, t, language)}
            </Text>
          </List.Item>
        );
      })}
    </List>
  );
}
