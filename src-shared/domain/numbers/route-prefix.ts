import { explainStep, type ExplainStep } from './explain-step';
import type { RoutePrefixRule } from './numbering-plan';

export interface NormalizedNumber {
  /** The dialled number after cleaning and the first matching route prefix rule. */
  number: string;
  steps: ExplainStep[];
}

/**
 * Keeps digits (and a leading `+`), then applies the first route prefix rule whose prefix matches and leaves at least
 * `minRemainingLength` digits (DESIGN §5.1). Rules that match the prefix but leave too few digits are reported, since
 * "why was my 9 not stripped" is a question clerks ask.
 */
export function normalizeNumber(dialled: string, rules: readonly RoutePrefixRule[]): NormalizedNumber {
  const steps: ExplainStep[] = [];
  const text = typeof dialled === 'string' ? dialled : '';
  const cleaned = cleanDialledNumber(text);
  if (cleaned !== text) steps.push(explainStep('route.cleaned', { from: text, to: cleaned }));

  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    if (!rule.prefix || !cleaned.startsWith(rule.prefix)) continue;
    const remainder = cleaned.slice(rule.prefix.length);
    if (remainder.length < rule.minRemainingLength) {
      steps.push(
        explainStep('route.remainderTooShort', {
          prefix: rule.prefix,
          remaining: remainder.length,
          minRemaining: rule.minRemainingLength,
          position: i + 1,
        }),
      );
      continue;
    }
    const number = rule.replacement + remainder;
    steps.push(
      rule.replacement
        ? explainStep('route.replaced', { prefix: rule.prefix, replacement: rule.replacement, from: cleaned, to: number, position: i + 1 })
        : explainStep('route.stripped', { prefix: rule.prefix, from: cleaned, to: number, position: i + 1 }),
    );
    return { number, steps };
  }
  return { number: cleaned, steps };
}

/** Removes everything but digits, keeping a `+` only where it leads the number. */
export function cleanDialledNumber(text: string): string {
  // Most numbers arrive clean: return them as they are (building a copy char by char is the slow path).
  let clean = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c === 43 && i === 0))) {
      clean = false;
      break;
    }
  }
  if (clean) return text;
  let out = '';
  let seenDigit = false;
  let plus = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      out += text[i];
      seenDigit = true;
    } else if (c === 43 && !seenDigit && !plus) {
      plus = true;
    }
  }
  return plus ? `+${out}` : out;
}
