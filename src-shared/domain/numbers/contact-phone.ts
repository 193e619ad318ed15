/**
 * A contact's telephone number as a clerk types it: a mobile or fixed-line number valid in its country (China when
 * it has no +country code), written with spaces, dashes, dots or brackets, with an office extension after it where a
 * switchboard needs one ("010-6552 8888 转 8001", "-8001", "ext. 8001", "x8001"). Service short numbers (95588) and
 * text are refused: the field is for calling a person back.
 */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/core';
import metadata from 'libphonenumber-js/max/metadata';

const NUMBER_TEXT = /^\+?[\d\s\-().\/]+$/;
const WITH_EXTENSION = /^(.*?\d[)\s]*)(?:\s*(?:转|分机|ext\.?|extension|x|#|,|-)\s*)(\d{1,6})$/i;

const validNumber = (text: string, country: CountryCode): boolean => {
  const trimmed = text.trim();
  if (!NUMBER_TEXT.test(trimmed)) return false;
  const parsed = parsePhoneNumberFromString(trimmed, { defaultCountry: country, extract: false }, metadata);
  return parsed?.isValid() === true;
};

/** True when `text` is a telephone number a contact can be called at (see above). */
export function isContactPhone(text: string, defaultCountry: CountryCode = 'CN'): boolean {
  if (validNumber(text, defaultCountry)) return true;
  const split = WITH_EXTENSION.exec(text.trim());
  return split !== null && validNumber(split[1]!, defaultCountry);
}
