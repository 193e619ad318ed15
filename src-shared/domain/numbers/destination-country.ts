/**
 * Destination country of an international number, for reports (DESIGN §5.3), from libphonenumber's metadata.
 * A calling code used by one country needs no parsing; shared codes (+1, +7, +44...) are parsed with libphonenumber,
 * which costs ~20 µs, so results are cached.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/core';
import metadata from 'libphonenumber-js/min/metadata';

export interface DestinationCountry {
  /** Country calling code, e.g. "44". */
  callingCode: string;
  /** ISO 3166-1 alpha-2 code, e.g. "GB"; the calling code's main country when the number itself is not valid. */
  country: string | null;
}

const callingCodes: Record<string, string[]> = metadata.country_calling_codes;
/** Global services (+800 freephone, +882/+883 networks...): a calling code without a country. */
const nonGeographic: Record<string, unknown> = (metadata as { nonGeographic?: Record<string, unknown> }).nonGeographic ?? {};
const CACHE_LIMIT = 50_000;

/** `internationalNumber` is the number after the international prefix: calling code + national number. */
export function destinationCountry(internationalNumber: string): DestinationCountry | null {
  // Calling codes are 1 to 3 digits and prefix-free, so at most one length matches.
  for (let len = 1; len <= 3 && len <= internationalNumber.length; len++) {
    const callingCode = internationalNumber.slice(0, len);
    if (nonGeographic[callingCode]) return { callingCode, country: null };
    const countries = callingCodes[callingCode];
    if (!countries) continue;
    const country = countries.length === 1 ? countries[0] : (sharedCodeCountry(internationalNumber, callingCode) ?? countries[0]);
    return { callingCode, country: country ?? null };
  }
  return null;
}

/**
 * Within a shared calling code the country follows from the first few national digits (NANP area codes, +44 1481
 * Guernsey, +7 7xx Kazakhstan, +39 06698 Vatican...), so a country found for one number is cached for its first
 * five national digits. A number libphonenumber cannot place is cached by itself, so it cannot shadow valid ones.
 */
const PLACING_DIGITS = 5;
const countryByLeadingDigits = new Map<string, string>();
const unplaced = new Set<string>();

function sharedCodeCountry(internationalNumber: string, callingCode: string): string | null {
  const key = internationalNumber.slice(0, callingCode.length + PLACING_DIGITS);
  const cached = countryByLeadingDigits.get(key);
  if (cached !== undefined) return cached;
  if (unplaced.has(internationalNumber)) return null;
  let country: string | null = null;
  try {
    country = parsePhoneNumberFromString(`+${internationalNumber}`, metadata)?.country ?? null;
  } catch {
    // An unparseable number keeps the calling code's main country.
  }
  if (country && key.length === callingCode.length + PLACING_DIGITS) {
    if (countryByLeadingDigits.size >= CACHE_LIMIT) countryByLeadingDigits.clear();
    countryByLeadingDigits.set(key, country);
  } else if (!country) {
    if (unplaced.size >= CACHE_LIMIT) unplaced.clear();
    unplaced.add(internationalNumber);
  }
  return country;
}
