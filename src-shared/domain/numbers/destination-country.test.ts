import { describe, expect, it } from 'vitest';
import { destinationCountry } from './destination-country';

describe('destinationCountry', () => {
  it.each([
    ['44207946000', '44', 'GB'], // not a valid length, still the main country of +44
    ['442079460000', '44', 'GB'],
    ['441481256789', '44', 'GG'],
    ['12125551234', '1', 'US'],
    ['16135551234', '1', 'CA'],
    ['16135559876', '1', 'CA'], // same leading digits: from the cache
    ['74951234567', '7', 'RU'],
    ['77012345678', '7', 'KZ'],
    ['4930123456', '49', 'DE'],
    ['85221234567', '852', 'HK'],
    ['80012345678', '800', null], // global freephone: no country
  ])('%s -> +%s %s', (number, callingCode, country) => {
    expect(destinationCountry(number)).toEqual({ callingCode, country });
  });

  it('answers the same for a number whether its prefix was seen before or not', () => {
    expect(destinationCountry('16135551234')?.country).toBe('CA');
    expect(destinationCountry('1613555')?.country).toBe('CA');
    expect(destinationCountry('1')?.country).toBe('US');
  });

  it('finds no calling code in numbers that start with none', () => {
    expect(destinationCountry('999123456')).toBeNull();
    expect(destinationCountry('')).toBeNull();
  });
});
