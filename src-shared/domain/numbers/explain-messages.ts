/**
 * English text of the normalization and classification steps. The renderer's `explain` namespace
 * (src-renderer/i18n/locales/<lang>/explain.json) carries the same keys; a test keeps the English file equal to this.
 */
export const NUMBER_STEP_MESSAGES = {
  'route.cleaned': 'Removed non-digits: "{{from}}" -> {{to}}',
  'route.stripped': 'Route prefix rule {{position}}: stripped {{prefix}} ({{from}} -> {{to}})',
  'route.replaced': 'Route prefix rule {{position}}: replaced {{prefix}} with {{replacement}} ({{from}} -> {{to}})',
  'route.remainderTooShort':
    'Route prefix rule {{position}} ({{prefix}}) not applied: {{remaining}} digits follow, it needs at least {{minRemaining}}',
  'number.empty': 'No number was dialled',
  'number.unrecognized':
    '{{number}} ({{length}} digits) has no prefix, is not a special or mobile number and is not a local number ({{localLengths}} digits)',
  'number.classifyFailed': 'Could not classify {{number}}: {{message}}',
  'internal.knownExtension': '{{number}} is a known extension',
  'internal.pattern': '{{number}} matches the extension pattern {{pattern}}',
  'international.plus': 'Starts with +: international number {{number}}',
  'international.prefix': 'Starts with the international prefix {{prefix}}: international number {{number}}',
  'international.ownCountry': 'Country code {{countryCode}} is our own: continuing with the national number {{number}}',
  'international.tooShort': 'International number {{number}} is too short ({{length}} digits, at least {{min}} expected)',
  'international.country': 'Calling code +{{callingCode}}: destination {{country}}',
  'international.noCountry': 'Calling code +{{callingCode}} belongs to no single country',
  'international.unknownCallingCode': 'No known calling code at the start of {{number}}',
  'national.trunkPrefix': 'Starts with the trunk prefix {{prefix}}: national number {{number}}',
  'national.trunkPrefixAfterCountryCode': 'Dropped the trunk prefix {{prefix}} written after the country code: {{number}}',
  'national.empty': 'Nothing follows the prefix',
  'national.noArea': 'No area code or mobile range matches the national number {{number}}',
  'mobile.attribution': 'Mobile range {{prefix}}: {{region}}, area code {{areaCode}}, {{carrier}}',
  'mobile.noArea': 'Mobile number {{number}} (range {{prefix}}) has no area in the attribution data',
  'mobile.length': '{{number}} looks like a mobile number but has {{length}} digits ({{expected}} expected)',
  'fixed.areaCode': 'Area code {{areaCode}}: {{region}}',
  'fixed.ownAreaCode': 'Area code {{areaCode}} is the device\'s own',
  'fixed.subscriberLength':
    'After area code {{areaCode}}, {{number}} has {{length}} subscriber digits (between {{min}} and {{max}} expected)',
  'special.exact': '{{number}} is a special number: {{name}}',
  'special.pattern': '{{number}} is a special number ({{prefix}}...): {{name}}',
  'local.subscriber': '{{number}} is a local subscriber number in area {{areaCode}}',
  'area.same': 'Area {{areaCode}} is the device\'s own area',
  'area.other': 'Area {{areaCode}} differs from the device\'s area {{deviceAreaCode}}',
  'callType.internal': 'Call type: internal',
  'callType.local': 'Call type: local',
  'callType.domestic': 'Call type: domestic long distance',
  'callType.international': 'Call type: international',
  'callType.special': 'Call type: special number',
} as const;
