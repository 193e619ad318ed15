import { createTheme, MantineProvider } from '@mantine/core';
import { DatesProvider } from '@mantine/dates';
import { Notifications } from '@mantine/notifications';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { RouterProvider } from 'react-router-dom';
import { ApiQueryProvider } from './api/ApiQueryProvider';
import { DATE_PICKER_COMPONENTS, datePickerLabels } from './format/datePickers';
import { PreferencesProvider } from './preferences/PreferencesProvider';
import { router } from './router';
import { SessionProvider } from './session/SessionProvider';

// System fonts only: workstations are often offline, and CJK system fonts render Chinese better than a web font.
const makeTheme = (showCharactersLabel: string, language: string) => createTheme({
  primaryColor: 'blue',
  defaultRadius: 'sm',
  fontFamily:
    '-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif',
  components: {
    // The required mark is drawn by app.css, keeping label texts equal to the field names.
    InputWrapper: { defaultProps: { withAsterisk: false } },
    // Named without the word "password", so getByLabel('Password') finds the field and not its eye button.
    PasswordInput: { defaultProps: { visibilityToggleButtonProps: { 'aria-label': showCharactersLabel } } },
    // Months and years as the language writes them ("2026年3月"), the same in every picker's header and lists.
    ...Object.fromEntries(DATE_PICKER_COMPONENTS.map((name) => [name, { defaultProps: datePickerLabels(language) }])),
  },
});

export function App() {
  const { t, i18n } = useTranslation();
  const zh = (i18n.resolvedLanguage ?? '').startsWith('zh');
  const showCharacters = t('common:showCharacters');
  const language = i18n.resolvedLanguage ?? 'en';
  const theme = useMemo(() => makeTheme(showCharacters, language), [showCharacters, language]);
  return (
    <MantineProvider theme={theme} defaultColorScheme="light">
      <DatesProvider settings={{ locale: zh ? 'zh-cn' : 'en', firstDayOfWeek: 1 }}>
        {/* Bottom right: results must not cover the header's user menu and switches. */}
        <Notifications position="bottom-right" limit={5} />
        <PreferencesProvider>
          <SessionProvider>
            <ApiQueryProvider>
              <RouterProvider router={router} />
            </ApiQueryProvider>
          </SessionProvider>
        </PreferencesProvider>
      </DatesProvider>
    </MantineProvider>
  );
}
