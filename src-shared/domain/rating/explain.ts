/**
 * The English text of every explanation step, and `explainText` for logs and tests. The renderer translates the same
 * keys from its `explain` namespace; a test keeps both locale files complete and the English one equal to this table.
 */
import type { ExplainStep } from '../numbers/explain-step';
import { NUMBER_STEP_MESSAGES } from '../numbers/explain-messages';

export const RATING_STEP_MESSAGES = {
  'rate.selected': 'Rate "{{name}}" (#{{id}}) for prefix {{prefix}}',
  'rate.selectedDefault': 'Default rate "{{name}}" (#{{id}}) of this call type',
  'rate.timeBand': 'Time band: days {{days}}, {{from}}-{{to}} (device time)',
  'rate.effectiveFrom': 'Effective from {{effectiveFrom}}',
  'rate.prefixNotApplicable': '{{count}} rate(s) for prefix {{prefix}} are not effective yet or not in their time band at this time',
  'rate.defaultNotApplicable': '{{count}} default rate(s) are not effective yet or not in their time band at this time',
  'rate.badTimeZone': 'Time zone "{{timeZone}}" is unknown: time-banded rates were skipped',
  'rate.none': 'No rate of this call type matches {{number}}',
  'rating.unanswered': 'Not answered (0 s): no charge',
  'rating.free': '{{billsec}} s is within the {{freeSeconds}} free seconds: no charge',
  'rating.minimum': '{{billsec}} s is billed as the minimum of {{minSeconds}} s',
  'rating.interval':
    'Interval {{index}} from {{start}} s: {{seconds}} s rounded up to {{billedSeconds}} s (increments of {{increment}} s) at {{price}} per {{unit}} s = {{amount}}',
  'rating.connectFee': 'Connect fee {{amount}}',
  'rating.total': 'Total {{cost}} for {{billedSeconds}} billed seconds (rounded once, half up)',
  'rating.failed': 'The rate could not be applied: {{message}}',
  'quote.unknownCallType': 'The call type is unknown: the call is not rated',
} as const;

/** Steps of the charging pipeline: who pays for a call, or why nobody can be charged (src-main/charging/charging.ts). */
export const CHARGING_STEP_MESSAGES = {
  'charging.payerCard': 'Card number {{card}} on the call: charged to its user account',
  'charging.payerTrunk': 'Placed through trunk {{trunk}}: charged to its gateway account',
  'charging.payerExtension': 'Placed from extension {{extension}}: charged to its user account',
  'charging.payerDeviceDefault': "No card, gateway trunk or known extension: charged to the device's default enterprise",
  'charging.noPayer':
    "No account pays for this call: no card number, gateway trunk or extension owner matches, and the device has no default enterprise",
  'charging.configurationMissing': 'The rating configuration is incomplete: {{message}}',
  'charging.noRate': 'No rate for {{callType}} calls in the rate group',
} as const;

export const EXPLAIN_MESSAGES: Readonly<Record<string, string>> = {
  ...NUMBER_STEP_MESSAGES,
  ...RATING_STEP_MESSAGES,
  ...CHARGING_STEP_MESSAGES,
};

/** Every step key the core can produce (each must exist in both locale files). */
export const EXPLAIN_KEYS: readonly string[] = Object.keys(EXPLAIN_MESSAGES);

/** English text of a step, with `{{param}}` filled in; unknown keys fall back to the key and its params. */
export function explainText(step: ExplainStep): string {
  const template = EXPLAIN_MESSAGES[step.key];
  if (template === undefined) return `${step.key} ${JSON.stringify(step.params)}`;
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => {
    const value = step.params[name];
    return value === undefined ? whole : String(value);
  });
}
