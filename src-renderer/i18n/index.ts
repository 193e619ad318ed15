import i18n from 'i18next';
import LanguageDetector from 'i18next-browser-languagedetector';
import { initReactI18next } from 'react-i18next';
import { LANGUAGES, namespaces, resources, type Language } from './resources';

export const LANGUAGE_STORAGE_KEY = 'billing.language';

/** Any Chinese browser or OS language shows the zh-CN screens; everything else English. */
export function toSupportedLanguage(detected: string | undefined): Language {
  return detected?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

void i18n
  .use(LanguageDetector)
  .use(initReactI18next)
  .init({
    resources,
    ns: namespaces,
    defaultNS: 'common',
    supportedLngs: [...LANGUAGES],
    fallbackLng: 'en',
    interpolation: { escapeValue: false }, // React escapes already
    detection: {
      // A choice made with the header switch wins over the browser/OS language, and is remembered.
      order: ['localStorage', 'navigator'],
      lookupLocalStorage: LANGUAGE_STORAGE_KEY,
      caches: ['localStorage'],
      convertDetectedLanguage: (lng: string) => toSupportedLanguage(lng),
    },
  });

i18n.on('languageChanged', (lng) => {
  document.documentElement.lang = lng;
});
document.documentElement.lang = i18n.resolvedLanguage ?? 'en';

export function currentLanguage(): Language {
  return toSupportedLanguage(i18n.resolvedLanguage ?? i18n.language);
}

export { LANGUAGES, type Language };
export default i18n;
