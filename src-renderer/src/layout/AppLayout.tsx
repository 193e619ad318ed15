import { ActionIcon, AppShell, Burger, Group, Text, Tooltip } from '@mantine/core';
import { useDisclosure, useLocalStorage } from '@mantine/hooks';
import { IconLayoutSidebarLeftCollapse, IconLayoutSidebarLeftExpand } from '@tabler/icons-react';
import { Suspense } from 'react';
import { useClerkPreferences } from '../preferences/useClerkPreferences';
import { useTranslation } from 'react-i18next';
import { Outlet } from 'react-router-dom';
import { AccountAlertNotices } from '../pages/accounts/components/AccountAlertNotices';
import { useSession } from '../session/SessionProvider';
import { AppNavbar } from './AppNavbar';
import { EngineNotices } from './EngineNotices';
import { PageLoading } from './PageFrame';
import { LanguageSwitch } from './LanguageSwitch';
import { TimeZoneSelect } from './TimeZoneSelect';
import { UserMenu } from './UserMenu';

/** The logged-in frame: header (product, time zone, language, user) and the collapsible navbar around the page. */
export function AppLayout() {
  const { t } = useTranslation();
  const { user } = useSession();
  const [mobileOpened, mobile] = useDisclosure(false);
  // Collapsing the navbar on a desktop is a lasting preference (small screens want the room).
  const [desktopCollapsed, setDesktopCollapsed] = useLocalStorage({ key: 'billing.navbarCollapsed', defaultValue: false });
  useClerkPreferences(user?.id ?? null);
  if (!user) return null;

  const toggleLabel = desktopCollapsed ? t('nav:show') : t('nav:hide');
  return (
    <AppShell
      header={{ height: 52 }}
      navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !mobileOpened, desktop: desktopCollapsed } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="xs" wrap="nowrap">
            <Burger opened={mobileOpened} onClick={mobile.toggle} hiddenFrom="sm" size="sm" aria-label={t('nav:toggle')} />
            <Tooltip label={toggleLabel}>
              <ActionIcon
                variant="subtle"
                color="gray"
                visibleFrom="sm"
                onClick={() => setDesktopCollapsed((collapsed) => !collapsed)}
                aria-label={toggleLabel}
                aria-expanded={!desktopCollapsed}
              >
                {desktopCollapsed ? <IconLayoutSidebarLeftExpand size={18} /> : <IconLayoutSidebarLeftCollapse size={18} />}
              </ActionIcon>
            </Tooltip>
            <Text fw={700} size="md" truncate>
              {t('common:productName')}
            </Text>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <TimeZoneSelect />
            <LanguageSwitch />
            <UserMenu />
          </Group>
        </Group>
      </AppShell.Header>
      <AppNavbar role={user.role} onNavigate={mobile.close} />
      <AppShell.Main>
        <EngineNotices />
        <AccountAlertNotices />
        {/* One Suspense for every page, kept across navigations: moving to a page whose code is not yet loaded keeps
            the current page on screen until the new one can draw (the router navigates in a transition). */}
        <Suspense fallback={<PageLoading />}>
          <Outlet />
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}
