import { Input, SegmentedControl } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { currentLanguage, type Language } from '../../i18n';
import { saveClerkPreferences } from '../preferences/clerkPreferences';
import { useSession } from '../session/SessionProvider';

// Each language is named in itself, so someone who cannot read the current one still finds theirs.
const LANGUAGE_NAMES: Record<Language, string> = { 'zh-CN': '中文', en: 'English' };

/**
 * Switches the language at once; the choice is remembered (localStorage) over the browser/OS default, and as the
 * logged-in clerk's own (applied at each of their logins, layout/AppLayout.tsx).
 */
export function LanguageSwitch({ withLabel = false }: { withLabel?: boolean }) {
  const { t, i18n } = useTranslation();
  const { user } = useSession();
  const control = (
    <SegmentedControl
      size="xs"
      aria-label={t('common:language')}
      value={currentLanguage()}
      onChange={(value) => {
        void i18n.changeLanguage(value);
        if (user) saveClerkPreferences(user.id, { language: value });
      }}
      data={(Object.keys(LANGUAGE_NAMES) as Language[]).map((value) => ({ value, label: LANGUAGE_NAMES[value] }))}
    />
  );
  return withLabel ? (
    <Input.Wrapper label={t('common:language')}>
      <div>{control}</div>
    </Input.Wrapper>
  ) : (
    control
  );
}
