import { SegmentedControl } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { currentLanguage, type Language } from '../../i18n';

// Each language is named in itself, so someone who cannot read the current one still finds theirs.
const LANGUAGE_NAMES: Record<Language, string> = { 'zh-CN': '中文', en: 'English' };

/** Switches the language at once; the choice is remembered (localStorage) over the browser/OS default. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <SegmentedControl
      size="xs"
      aria-label={t('common:language')}
      value={currentLanguage()}
      onChange={(value) => void i18n.changeLanguage(value)}
      data={(Object.keys(LANGUAGE_NAMES) as Language[]).map((value) => ({ value, label: LANGUAGE_NAMES[value] }))}
    />
  );
}
