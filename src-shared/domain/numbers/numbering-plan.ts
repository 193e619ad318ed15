/**
 * A device's numbering plan (DESIGN §5): how its users dial, so that a dialled number can be normalized and
 * classified. Compiled once per device (regex, defaults) and then reused for every call of that device.
 */

/** Rewrites the called number when it starts with `prefix` and at least `minRemainingLength` digits follow. */
export interface RoutePrefixRule {
  prefix: string;
  minRemainingLength: number;
  replacement: string;
}

export interface NumberingPlan {
  /** Country calling code without `+`, e.g. "86". */
  countryCode: string;
  /** The device's own area code without the trunk prefix, e.g. "10" for Beijing. */
  areaCode: string;
  /** Trunk (national) prefix, e.g. "0". Empty when the country has none. */
  nationalPrefix: string;
  /** International prefix, e.g. "00". A leading `+` is always accepted as well. */
  internationalPrefix: string;
  /** Regular expression (source text) an extension number matches as a whole, e.g. "8\\d{3}". */
  extensionPattern?: string | null;
  /** Route prefix rules in the order they are tried. */
  routePrefixRules?: readonly RoutePrefixRule[];
  /** Lengths of a subscriber number dialled without area code; defaults per country (China: 7 or 8). */
  localNumberLengths?: readonly number[];
  /** Lengths of a mobile number's national form; defaults per country (China: 11). */
  mobileNumberLengths?: readonly number[];
}

/** A numbering plan with its defaults applied and its pattern compiled; build with `compileNumberingPlan`. */
export interface CompiledNumberingPlan {
  countryCode: string;
  areaCode: string;
  nationalPrefix: string;
  internationalPrefix: string;
  extensionPattern: RegExp | null;
  extensionPatternSource: string | null;
  routePrefixRules: readonly RoutePrefixRule[];
  localNumberLengths: ReadonlySet<number>;
  mobileNumberLengths: ReadonlySet<number>;
  /** Longest local subscriber number; a fixed-line national number's subscriber part may not be longer. */
  maxLocalLength: number;
  /** Configuration problems found while compiling (e.g. an invalid extension pattern, which is then ignored). */
  problems: readonly { path: string; message: string }[];
}

interface CountryNumberLengths {
  local: readonly number[];
  mobile: readonly number[];
}

/** Lengths per country where we know them; other countries fall back to a permissive range. */
const NUMBER_LENGTHS_BY_COUNTRY: Record<string, CountryNumberLengths> = {
  '86': { local: [7, 8], mobile: [11] },
  '852': { local: [8], mobile: [8] },
  '853': { local: [8], mobile: [8] },
  '886': { local: [7, 8], mobile: [9] },
  '1': { local: [7], mobile: [10] },
  '44': { local: [6, 7, 8], mobile: [10] },
};
const FALLBACK_LENGTHS: CountryNumberLengths = { local: [6, 7, 8], mobile: [8, 9, 10, 11] };

export function defaultNumberLengths(countryCode: string): CountryNumberLengths {
  return NUMBER_LENGTHS_BY_COUNTRY[countryCode] ?? FALLBACK_LENGTHS;
}

const DIGITS = /^\d*$/;

export function compileNumberingPlan(plan: NumberingPlan): CompiledNumberingPlan {
  const problems: { path: string; message: string }[] = [];
  const defaults = defaultNumberLengths(plan.countryCode);
  for (const field of ['countryCode', 'areaCode', 'nationalPrefix', 'internationalPrefix'] as const) {
    if (!DIGITS.test(plan[field])) problems.push({ path: field, message: `must contain digits only, got "${plan[field]}"` });
  }
  let extensionPattern: RegExp | null = null;
  const source = plan.extensionPattern?.trim() || null;
  if (source) {
    try {
      // Anchored: the pattern describes a whole extension number, not a fragment of one.
      extensionPattern = new RegExp(`^(?:${source})$`);
    } catch (e) {
      problems.push({ path: 'extensionPattern', message: `is not a valid regular expression: ${(e as Error).message}` });
    }
  }
  let areaCode = plan.areaCode;
  // "010" is how people write Beijing's code; the plan (and attribution) use it without the trunk prefix.
  if (plan.nationalPrefix && areaCode.length > plan.nationalPrefix.length && areaCode.startsWith(plan.nationalPrefix)) {
    areaCode = areaCode.slice(plan.nationalPrefix.length);
    problems.push({ path: 'areaCode', message: `"${plan.areaCode}" includes the trunk prefix ${plan.nationalPrefix}; using "${areaCode}"` });
  }
  const local = plan.localNumberLengths?.length ? plan.localNumberLengths : defaults.local;
  const mobile = plan.mobileNumberLengths?.length ? plan.mobileNumberLengths : defaults.mobile;
  return {
    countryCode: plan.countryCode,
    areaCode,
    nationalPrefix: plan.nationalPrefix,
    internationalPrefix: plan.internationalPrefix,
    extensionPattern,
    extensionPatternSource: extensionPattern ? source : null,
    routePrefixRules: [...(plan.routePrefixRules ?? [])],
    localNumberLengths: new Set(local),
    mobileNumberLengths: new Set(mobile),
    maxLocalLength: Math.max(...local),
    problems,
  };
}
