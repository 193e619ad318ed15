import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { toSupportedLanguage } from '../../i18n';
import { isValidTimeZone } from '../format/time';
import { readClerkPreferences } from './clerkPreferences';
import { usePreferences } from './PreferencesProvider';

/** At each login (a new account in the shell), the clerk's own language and time zone replace the workstation's. */
export function useClerkPreferences(userId: number | null): void {
  const { i18n } = useTranslation();
  const { setTimeZone } = usePreferences();
  useEffect(() => {
    if (userId === null) return;
    const saved = readClerkPreferences(userId);
    if (saved.timeZone && isValidTimeZone(saved.timeZone)) setTimeZone(saved.timeZone);
    if (saved.language) {
      const language = toSupportedLanguage(saved.language);
      if (language !== i18n.resolvedLanguage) void i18n.changeLanguage(language);
    }
    // Only at a login: later changes are the clerk's own, made through the switches that save them.
  }, [userId]);
}
