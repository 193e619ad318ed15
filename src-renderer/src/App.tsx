import { createTheme, MantineProvider } from '@mantine/core';
import { DatesProvider } from '@mantine/dates';
import { Notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { RouterProvider } from 'react-router-dom';
import { PreferencesProvider } from './preferences/PreferencesProvider';
import { router } from './router';
import { SessionProvider } from './session/SessionProvider';

// System fonts only: workstations are often offline, and CJK system fonts render Chinese better than a web font.
const theme = createTheme({
  primaryColor: 'blue',
  defaultRadius: 'sm',
  fontFamily:
    '-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif',
});

export function App() {
  const { i18n } = useTranslation();
  const zh = (i18n.resolvedLanguage ?? '').startsWith('zh');
  return (
    <MantineProvider theme={theme} defaultColorScheme="light">
      <DatesProvider settings={{ locale: zh ? 'zh-cn' : 'en', firstDayOfWeek: 1 }}>
        <Notifications position="top-right" limit={5} />
        <PreferencesProvider>
          <SessionProvider>
            <RouterProvider router={router} />
          </SessionProvider>
        </PreferencesProvider>
      </DatesProvider>
    </MantineProvider>
  );
}
