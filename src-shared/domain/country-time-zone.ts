/**
 * The time zone of a country calling code, where the country has one (China: 86 → Asia/Shanghai). A new device is
 * in the zone of its country unless the clerk says otherwise; it once defaulted to the workstation's zone, UTC on
 * most servers, while its country code said China — and every call of the device was then 8 hours off.
 *
 * Only countries on a single zone (or whose other zones hold few PBXs) are listed; for the rest (1 North America,
 * 7 Russia, 55 Brazil, 61 Australia, 52 Mexico, 62 Indonesia…) there is no answer and the clerk picks the zone.
 */
const ZONE_OF_CALLING_CODE: Readonly<Record<string, string>> = {
  '86': 'Asia/Shanghai',
  '852': 'Asia/Hong_Kong',
  '853': 'Asia/Macau',
  '886': 'Asia/Taipei',
  '81': 'Asia/Tokyo',
  '82': 'Asia/Seoul',
  '65': 'Asia/Singapore',
  '60': 'Asia/Kuala_Lumpur',
  '66': 'Asia/Bangkok',
  '84': 'Asia/Ho_Chi_Minh',
  '63': 'Asia/Manila',
  '855': 'Asia/Phnom_Penh',
  '856': 'Asia/Vientiane',
  '95': 'Asia/Yangon',
  '880': 'Asia/Dhaka',
  '91': 'Asia/Kolkata',
  '92': 'Asia/Karachi',
  '94': 'Asia/Colombo',
  '977': 'Asia/Kathmandu',
  '971': 'Asia/Dubai',
  '966': 'Asia/Riyadh',
  '974': 'Asia/Qatar',
  '972': 'Asia/Jerusalem',
  '90': 'Europe/Istanbul',
  '44': 'Europe/London',
  '353': 'Europe/Dublin',
  '49': 'Europe/Berlin',
  '33': 'Europe/Paris',
  '39': 'Europe/Rome',
  '31': 'Europe/Amsterdam',
  '32': 'Europe/Brussels',
  '41': 'Europe/Zurich',
  '43': 'Europe/Vienna',
  '46': 'Europe/Stockholm',
  '47': 'Europe/Oslo',
  '45': 'Europe/Copenhagen',
  '358': 'Europe/Helsinki',
  '48': 'Europe/Warsaw',
  '420': 'Europe/Prague',
  '36': 'Europe/Budapest',
  '30': 'Europe/Athens',
  '20': 'Africa/Cairo',
  '27': 'Africa/Johannesburg',
  '234': 'Africa/Lagos',
  '254': 'Africa/Nairobi',
  '64': 'Pacific/Auckland',
};

export function timeZoneOfCallingCode(countryCode: string): string | null {
  return ZONE_OF_CALLING_CODE[countryCode.trim().replace(/^\+/, '')] ?? null;
}

/** Whether a zone is one a country code gives (so a form may replace it when the code changes). */
export function isCallingCodeZone(zone: string): boolean {
  return Object.values(ZONE_OF_CALLING_CODE).includes(zone);
}

/** The country code new devices start with: the product is for Chinese telephony first. */
export const DEFAULT_COUNTRY_CODE = '86';
